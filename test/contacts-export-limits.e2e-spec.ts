import type { INestApplication } from '@nestjs/common';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ContactsQuery } from '@clarion/contacts';
import { bearer, startApi } from './support/apps';
import { waitFor } from './support/processes';

const CONTACTS = 30_000;

/** contacts/export.csv: a header as safe as its cells, and no export outliving its client. */
describe('contacts export (limits)', () => {
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;

  beforeAll(async () => {
    api = await startApi();
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    await db.query(
      `INSERT INTO contacts (phone, name, attributes)
       SELECT CONCAT('+91980', LPAD(seq, 7, '0')), CONCAT('Contact ', seq), JSON_OBJECT('city', 'Pune', 'note', REPEAT('x', 40))
       FROM mysql.seq_1_to_${CONTACTS}`,
    );
    await db.query(
      `INSERT INTO contacts (phone, name, attributes) VALUES ('+919700000001', 'Formula', JSON_OBJECT('=HYPERLINK("http://x")', '=1+1', '@cmd', 'ok'))`,
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it('escapes formula-looking attribute keys in the header row like the cells', async () => {
    const res = await http.get('/v1/contacts/export.csv?search=Formula').set(bearer()).expect(200);
    const [header, row] = res.text.replace(/^\uFEFF/, '').split('\n');
    expect(header.split(',')).toEqual(expect.arrayContaining([`"'=HYPERLINK(""http://x"")"`, "'@cmd"]));
    expect(header).not.toMatch(/(^|,)"?[=@]/);
    expect(row).toContain("'=1+1");
  });

  it('stops reading contacts when the client hangs up mid-export, and keeps serving', async () => {
    const query = api.get(ContactsQuery);
    const original = query.stream.bind(query);
    let pagesRead = 0;
    let finished = false;
    query.stream = async function* (...args: Parameters<ContactsQuery['stream']>) {
      try {
        for await (const page of original(...args)) {
          pagesRead++;
          yield page;
        }
      } finally {
        finished = true;
      }
    };
    try {
      const { port } = api.getHttpServer().address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = get({ port, host: '127.0.0.1', path: '/v1/contacts/export.csv', headers: bearer() }, (res) => {
          expect(res.statusCode).toBe(200);
          // Read one chunk, then stop reading and hang up: the server's buffer is full by now.
          res.once('data', () => {
            res.pause();
            setTimeout(() => {
              req.destroy();
              resolve();
            }, 300);
          });
        });
        req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      });
      await waitFor(() => finished, 10_000, 'the export to stop reading pages');
      expect(pagesRead).toBeLessThan(CONTACTS / 5_000);
      await http.get('/v1/contacts?limit=1').set(bearer()).expect(200);
    } finally {
      query.stream = original;
    }
  });
});
