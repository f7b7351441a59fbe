import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bearer, startApi, startWorker } from './support/apps';
import { approveDemoTemplates, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';

/** Text no stored error or API answer may ever contain: it stands for whatever else a gateway's body holds. */
const MARKER = 'GATEWAY-INTERNALS-7f3a';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP server on loopback that records every request and answers with `handle`. */
async function recordingServer(
  handle: (req: Seen, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      handle(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const template = (name: string) => ({
  name,
  language: 'en_US',
  category: 'UTILITY',
  status: 'APPROVED',
  id: `${name}-id`,
  components: [{ type: 'BODY', text: 'Hello' }],
});

/**
 * Where a sender's access token may go: only to the origin it was configured for (the Graph
 * API, or an On-Premises sender's baseUrl), and what of a failed call's answer is kept: only
 * Meta's error fields. A second local server plays the foreign origin.
 */
describe("senders' access tokens and failed calls", () => {
  let foreign: Awaited<ReturnType<typeof recordingServer>>;
  let graph: Awaited<ReturnType<typeof recordingServer>>;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let http: ReturnType<typeof request>;
  let db: DataSource;

  beforeAll(async () => {
    foreign = await recordingServer((_req, res) => json(res, 200, { data: [template('foreign_template')] }));
    graph = await recordingServer((req, res) => {
      const path = req.path.split('?')[0];
      if (path === '/v23.0/WABA-LEAK/message_templates') {
        return json(res, 200, {
          data: [template('first_page')],
          paging: { next: `${foreign.url}/v23.0/WABA-LEAK/message_templates?after=1` },
        });
      }
      if (path === '/v23.0/WABA-PAGED/message_templates') {
        return req.path.includes('after=')
          ? json(res, 200, { data: [template('paged_two')] })
          : json(res, 200, { data: [template('paged_one')], paging: { next: `${graph.url}/v23.0/WABA-PAGED/message_templates?after=1` } });
      }
      if (req.method === 'POST' && path.endsWith('/messages')) {
        const to = String(JSON.parse(req.body).to);
        if (to.endsWith('0000')) {
          res.writeHead(400, { 'content-type': 'text/html' });
          return res.end(`<html><body><h1>400 Bad Request</h1><pre>${MARKER} upstream=10.0.0.7 trace</pre></body></html>`);
        }
        return json(res, 400, {
          error: {
            message: '(#131026) Message undeliverable',
            type: 'OAuthException',
            code: 131026,
            error_data: { messaging_product: 'whatsapp', details: 'Receiver is incapable of receiving this message', dump: MARKER },
            fbtrace_id: 'AbCdEf123',
            debug: { stack: `${MARKER} at Gateway.handle (/srv/gw.js:12)` },
          },
          proxy: `<html>${MARKER}</html>`,
        });
      }
      json(res, 404, { error: { message: 'unknown path', code: 100 } });
    });
    const env = { WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_GRAPH_VERSION: 'v23.0' };
    api = await startApi(env);
    worker = await startWorker(env);
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    await approveDemoTemplates(db);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await graph?.close();
    await foreign?.close();
  });

  const createSender = async (fields: Record<string, unknown>) => {
    const res = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'origin test', phoneNumberId: `pn${Date.now()}${Math.floor(Math.random() * 1000)}`, ...fields })
      .expect(201);
    return res.body as { id: number; baseUrl: string | null };
  };

  it("does not follow a templates page's paging.next to another origin with the sender's token", async () => {
    const sender = await createSender({ api: 'cloud', accessToken: 'cloud-token-1', wabaId: 'WABA-LEAK' });
    const res = await http.post(`/v1/senders/${sender.id}/templates/sync`).set(bearer());
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(/paging\.next .*points to http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1:\d+; not followed/);
    expect(foreign.seen).toEqual([]);
    expect(graph.seen.filter((r) => r.path.includes('WABA-LEAK'))).toEqual([
      expect.objectContaining({ method: 'GET', headers: expect.objectContaining({ authorization: 'Bearer cloud-token-1' }) }),
    ]);
    const [{ n }] = await db.query("SELECT COUNT(*) AS n FROM templates WHERE name IN ('first_page', 'foreign_template')");
    expect(Number(n)).toBe(0);
  });

  it('follows paging.next on the Graph API origin', async () => {
    const sender = await createSender({ api: 'cloud', accessToken: 'cloud-token-2', wabaId: 'WABA-PAGED' });
    const res = await http.post(`/v1/senders/${sender.id}/templates/sync`).set(bearer()).expect(200);
    expect(res.body).toMatchObject({ wabaId: 'WABA-PAGED', created: 2 });
    expect(foreign.seen).toEqual([]);
  });

  it("moving an On-Premises sender's baseUrl to another origin needs its access token again", async () => {
    const sender = await createSender({ api: 'onprem', accessToken: 'gateway-token', baseUrl: `${graph.url}/gw` });
    const moved = await http
      .patch(`/v1/senders/${sender.id}`)
      .set(bearer())
      .send({ baseUrl: `${foreign.url}/gw` });
    expect(moved.status).toBe(400);
    expect(moved.body.message).toMatch(/accessToken/);
    const toCloud = await http.patch(`/v1/senders/${sender.id}`).set(bearer()).send({ api: 'cloud' });
    expect(toCloud.status).toBe(400);
    expect((await http.get(`/v1/senders/${sender.id}`).set(bearer()).expect(200)).body.baseUrl).toBe(`${graph.url}/gw`);

    // Same origin, another path: the token goes where it went before.
    await http
      .patch(`/v1/senders/${sender.id}`)
      .set(bearer())
      .send({ baseUrl: `${graph.url}/gw2` })
      .expect(200);
    // With a token given for the new origin, the move is the operator's choice.
    const withToken = await http
      .patch(`/v1/senders/${sender.id}`)
      .set(bearer())
      .send({ baseUrl: `${foreign.url}/gw`, accessToken: 'foreign-token' });
    expect(withToken.status).toBe(200);
    expect(withToken.body.baseUrl).toBe(`${foreign.url}/gw`);
    expect(foreign.seen).toEqual([]);
  });

  it("keeps only Meta's error fields of a failed send, never the rest of the body", async () => {
    const sender = await createSender({ api: 'cloud', accessToken: 'cloud-token-3', throughputMps: 100 });
    const { listId } = await seedList(db, 2, (i) => ({ phone: `+4915190${String(Date.now()).slice(-4)}000${i}` }));
    const created = await http
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: 'junk answers',
        senderId: sender.id,
        template: { name: 'hello_world', language: 'en_US' },
        audience: { listId },
        variables: {},
      })
      .expect(201);
    const rows = await waitFor(
      async () => {
        const found: Array<{ phone: string; status: string; error_code: number; error_title: string; error_detail: string | null }> =
          await db.query(
            'SELECT phone, status, error_code, error_title, error_detail FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY phone',
            [created.body.id],
          );
        return found.length === 2 && found.every((r) => r.status === 'failed') ? found : undefined;
      },
      30_000,
      'both recipients to fail',
    );
    expect(rows.map((r) => ({ ...r, error_code: Number(r.error_code), phone: r.phone.slice(-4) }))).toEqual([
      { phone: '0000', status: 'failed', error_code: -3, error_title: 'HTTP 400', error_detail: 'HTTP 400 without a WhatsApp error body' },
      {
        phone: '0001',
        status: 'failed',
        error_code: 131026,
        error_title: 'Message Undeliverable',
        error_detail: 'Receiver is incapable of receiving this message',
      },
    ]);
    const listed = await http.get(`/v1/broadcasts/${created.body.id}/recipients`).set(bearer()).expect(200);
    expect(listed.body.data).toHaveLength(2);
    expect(listed.text).not.toContain(MARKER);
    expect(JSON.stringify(await db.query('SELECT * FROM broadcast_recipients WHERE broadcast_id = ?', [created.body.id]))).not.toContain(
      MARKER,
    );
  });
});
