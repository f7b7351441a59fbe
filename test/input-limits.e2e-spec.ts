import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../apps/sandbox/src/spawn-sandbox';
import { SpawnedApp, spawnAppProcess, waitFor } from './support/processes';
import { chunk, LAST_CHUNK, rawRequest } from './support/raw-http';

const TOKEN = `limits-admin-${randomBytes(8).toString('hex')}`;
const BOUNDARY = 'clarionlimitsboundary';

/** The start of a multipart body with a `file` part; the closing boundary is left to the caller. */
const multipartStart = (csv: string | Buffer): Buffer =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="defaultCountry"\r\n\r\nIN\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="sheet.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(csv) ? csv : Buffer.from(csv),
  ]);

const SHEET = 'phone,name\n+919800000001,Asha\n+919800000002,Ravi\n';

/**
 * Abuse at the edge, against the built API process (a crash must show as a dead process, not
 * as a failed assertion inside jest): cut-off and oversized uploads, unauthenticated uploads.
 */
describe('input limits (API process)', () => {
  const uploads = mkdtempSync(join(tmpdir(), 'clarion-limits-'));
  let app: SpawnedApp;
  let port: number;
  let url: string;

  beforeAll(async () => {
    port = await freePort();
    app = spawnAppProcess('api', { PORT: String(port), UPLOAD_DIR: uploads, MAX_UPLOAD_MB: '2', CLARION_ADMIN_TOKEN: TOKEN });
    url = `http://127.0.0.1:${port}`;
    await waitFor(
      () =>
        fetch(`${url}/health`).then(
          (r) => r.status === 200,
          () => false,
        ),
      30_000,
      'the API process to answer /health',
    );
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(uploads, { recursive: true, force: true });
  });

  const leftovers = () => readdirSync(uploads).filter((f) => !f.startsWith('.'));
  const expectAliveAndClean = async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // Handled where it happened, not merely caught by the process-level net.
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^clarion_unhandled_rejections_total 0$/m);
    await waitFor(() => leftovers().length === 0, 5_000, `no file left in UPLOAD_DIR (${leftovers().join(', ')})`);
  };
  const head = (path: string, extra: string[], auth = true) => [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    ...(auth ? [`Authorization: Bearer ${TOKEN}`] : []),
    ...extra,
  ];

  describe.each([['/v1/imports'], ['/v1/sequences/999999/enrollments']])('%s', (path) => {
    it('answers 400 to a body that ends without its closing boundary, and lives on', async () => {
      const body = multipartStart(SHEET);
      const answer = await rawRequest(port, head(path, [`Content-Length: ${body.length}`]), [body]);
      expect(answer).not.toBe('closed');
      if (answer === 'closed') return;
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 400, message: expect.stringContaining('Unexpected end of form') });
      await expectAliveAndClean();
    });

    it('answers 400 to a chunked body that ends without its closing boundary', async () => {
      const answer = await rawRequest(port, head(path, ['Transfer-Encoding: chunked']), [chunk(multipartStart(SHEET)), LAST_CHUNK]);
      expect(answer).not.toBe('closed');
      if (answer === 'closed') return;
      expect(answer.status).toBe(400);
      await expectAliveAndClean();
    });

    it('survives a client that hangs up mid-chunk', async () => {
      const answer = await rawRequest(port, head(path, ['Transfer-Encoding: chunked']), [chunk(multipartStart(SHEET))], { end: true });
      if (answer !== 'closed') expect(answer.status).toBe(400);
      await expectAliveAndClean();
    });

    it('answers 413 once the file crosses MAX_UPLOAD_MB, without waiting for the rest (chunked)', async () => {
      // 2 MB of a declared-endless body: the answer must come while the rest is still unsent.
      const answer = await rawRequest(port, head(path, ['Transfer-Encoding: chunked']), [
        chunk(multipartStart('phone\n')),
        ...Array.from({ length: 12 }, () => chunk(Buffer.alloc(256 * 1024, 0x31))),
      ]);
      expect(answer).not.toBe('closed');
      if (answer === 'closed') return;
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).message).toContain('MAX_UPLOAD_MB');
      await expectAliveAndClean();
    });

    it('answers 413 at once to a Content-Length over MAX_UPLOAD_MB', async () => {
      const answer = await rawRequest(port, head(path, [`Content-Length: ${50 * 1024 * 1024}`]), [multipartStart('phone\n')]);
      expect(answer).not.toBe('closed');
      if (answer === 'closed') return;
      expect(answer.status).toBe(413);
      await expectAliveAndClean();
    });

    it('answers 401 to an unauthenticated upload without storing any of it', async () => {
      const answer = await rawRequest(port, head(path, [`Content-Length: ${900 * 1024}`], false), [
        multipartStart(Buffer.alloc(512 * 1024, 0x31)),
      ]);
      expect(answer).not.toBe('closed');
      if (answer === 'closed') return;
      expect(answer.status).toBe(401);
      await expectAliveAndClean();
    });
  });

  describe('JSON bodies', () => {
    const jsonHead = (path: string, extra: string[]) => [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Content-Type: application/json',
      `Authorization: Bearer ${TOKEN}`,
      ...extra,
    ];

    it('refuses a JSON body declared over 1 MB on an ordinary route with 413, before it is sent', async () => {
      const answer = await rawRequest(port, jsonHead('/v1/contacts', [`Content-Length: ${2 * 1024 * 1024}`]), ['{"phone":"']);
      expect(answer).not.toBe('closed');
      if (answer === 'closed') return;
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 413 });
    });

    it('refuses a chunked JSON body over 1 MB with 413', async () => {
      const big = JSON.stringify({ phone: '+919800000009', name: 'x'.repeat(1100 * 1024) });
      const answer = await rawRequest(port, jsonHead('/v1/contacts', ['Transfer-Encoding: chunked']), [chunk(big), LAST_CHUNK]);
      expect(answer !== 'closed' && answer.status).toBe(413);
    });

    it('parses a JSON body under 1 MB, and takes up to the webhook limit on /webhooks/whatsapp only', async () => {
      const under = await fetch(`${url}/v1/contacts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ phone: 'not a phone', name: 'x'.repeat(900 * 1024) }),
      });
      expect(under.status).toBe(400);
      const webhook = await fetch(`${url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' },
        body: JSON.stringify({ object: 'whatsapp_business_account', pad: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(webhook.status).not.toBe(413);
      expect(webhook.status).toBeLessThan(500);
    });

    it('lets a multipart upload over the JSON limit through to the upload limit', async () => {
      const form = new FormData();
      form.append('file', new Blob([`phone\n${'+919800000001\n'.repeat(90_000)}`], { type: 'text/csv' }), 'big.csv');
      const res = await fetch(`${url}/v1/imports`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form });
      expect(res.status).toBe(202);
    });
  });

  it('still imports a whole sheet afterwards, and no rejection went unhandled', async () => {
    const form = new FormData();
    form.append('file', new Blob([SHEET], { type: 'text/csv' }), 'sheet.csv');
    const res = await fetch(`${url}/v1/imports`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: form });
    expect(res.status).toBe(202);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^clarion_unhandled_rejections_total 0$/m);
    expect(app.stderr()).not.toContain('unhandled');
  });
});
