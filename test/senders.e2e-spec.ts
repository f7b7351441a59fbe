import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { bearer, startApi } from './support/apps';

describe('Senders API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let marketer: string;
  const token = `EAAG-e2e-secret-${Date.now()}`;
  const output: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    // Everything the API prints during this suite is kept (not shown) and checked for the token.
    const capture = ((chunk: string | Uint8Array) => output.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stdout.write = capture;
    process.stderr.write = capture;
    // Log everything, so that the token check below means something.
    app = await startApi({ LOG_LEVEL: 'trace' });
    http = request(app.getHttpServer());
    db = app.get(DataSource);
    marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'senders-m', role: 'marketer' }).expect(201)).body.token;
  });
  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await app.close();
  });

  const phone = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

  it('creates a Cloud sender with the 500 msg/s default and the new-portfolio messaging limit of 250, never returning the token', async () => {
    const res = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Main', api: 'cloud', phoneNumberId: phone(), accessToken: token, wabaId: '1029' })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'Main', api: 'cloud', throughputMps: 500, messagingLimit: 250, status: 'active' });
    expect(JSON.stringify(res.body)).not.toContain(token);
    expect(res.body.accessToken).toBeUndefined();
    expect(res.body.accessTokenEnc).toBeUndefined();
  });

  it('stores the token encrypted (AES-256-GCM), not in clear', async () => {
    const res = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Enc', api: 'cloud', phoneNumberId: phone(), accessToken: token })
      .expect(201);
    const [row] = await db.query('SELECT access_token_enc FROM senders WHERE id = ?', [res.body.id]);
    expect(row.access_token_enc).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(row.access_token_enc).not.toContain(token);
    expect(row.access_token_enc).not.toContain(Buffer.from(token).toString('base64'));
  });

  it('defaults On-Premises senders to 70 msg/s single-connect and 250 multi-connect', async () => {
    const single = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'OP1', api: 'onprem', phoneNumberId: phone(), accessToken: token, baseUrl: 'https://gw.example.com' })
      .expect(201);
    expect(single.body).toMatchObject({ throughputMps: 70, connection: 'single', baseUrl: 'https://gw.example.com' });
    const multi = await http
      .post('/v1/senders')
      .set(bearer())
      .send({
        name: 'OP2',
        api: 'onprem',
        phoneNumberId: phone(),
        accessToken: token,
        baseUrl: 'https://gw.example.com',
        connection: 'multi',
      })
      .expect(201);
    expect(multi.body.throughputMps).toBe(250);
  });

  it('accepts any positive throughput and messaging limit, and a portfolio', async () => {
    const res = await http
      .post('/v1/senders')
      .set(bearer())
      .send({
        name: 'Custom',
        api: 'cloud',
        phoneNumberId: phone(),
        accessToken: token,
        throughputMps: 80,
        messagingLimit: 1234,
        portfolio: 'acme',
      })
      .expect(201);
    expect(res.body).toMatchObject({ throughputMps: 80, messagingLimit: 1234, portfolio: 'acme' });
    const patched = await http
      .patch(`/v1/senders/${res.body.id}`)
      .set(bearer())
      .send({ throughputMps: 1000, messagingLimit: 'unlimited' })
      .expect(200);
    expect(patched.body).toMatchObject({ throughputMps: 1000, messagingLimit: 'unlimited' });
    const [row] = await db.query('SELECT messaging_limit FROM senders WHERE id = ?', [res.body.id]);
    expect(row.messaging_limit).toBeNull();
  });

  it('refuses bad input with 400s naming the field', async () => {
    const bad = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'x', api: 'sms', phoneNumberId: phone(), accessToken: token, throughputMps: 0, messagingLimit: 'lots' })
      .expect(400);
    const text = bad.body.message.join(' ');
    expect(text).toMatch(/api/);
    expect(text).toMatch(/throughputMps/);
    expect(text).toMatch(/messagingLimit/);
    const onprem = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'x', api: 'onprem', phoneNumberId: phone(), accessToken: token })
      .expect(400);
    expect(onprem.body.message).toMatch(/baseUrl is required/);
  });

  it('refuses a second sender with the same phone number id (409)', async () => {
    const id = phone();
    await http.post('/v1/senders').set(bearer()).send({ name: 'A', api: 'cloud', phoneNumberId: id, accessToken: token }).expect(201);
    const res = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'B', api: 'cloud', phoneNumberId: id, accessToken: token })
      .expect(409);
    expect(res.body.message).toContain(id);
  });

  it('lets marketers list and read but not write', async () => {
    const created = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Read', api: 'cloud', phoneNumberId: phone(), accessToken: token })
      .expect(201);
    const list = await http.get('/v1/senders?limit=2').set(bearer(marketer)).expect(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await http.get(`/v1/senders?limit=1000&cursor=${list.body.nextCursor}`).set(bearer(marketer)).expect(200);
    expect(next.body.data.map((s: { id: number }) => s.id)).toContain(created.body.id);
    expect(JSON.stringify(next.body)).not.toContain(token);
    await http.get(`/v1/senders/${created.body.id}`).set(bearer(marketer)).expect(200);
    await http
      .post('/v1/senders')
      .set(bearer(marketer))
      .send({ name: 'No', api: 'cloud', phoneNumberId: phone(), accessToken: token })
      .expect(403);
    await http.delete(`/v1/senders/${created.body.id}`).set(bearer(marketer)).expect(403);
  });

  it('deletes a sender; a missing one is 404', async () => {
    const created = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Del', api: 'cloud', phoneNumberId: phone(), accessToken: token })
      .expect(201);
    await http.delete(`/v1/senders/${created.body.id}`).set(bearer()).expect(204);
    await http.get(`/v1/senders/${created.body.id}`).set(bearer()).expect(404);
  });

  it('never printed the token, though it logged at trace level', () => {
    expect(output.length).toBeGreaterThan(10);
    expect(output.join('')).not.toContain(token);
  });
});
