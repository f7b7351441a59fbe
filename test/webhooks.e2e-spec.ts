import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { parseLooseJson, signPayload } from '@clarion/whatsapp';
import { bearer, startApi, startWorker } from './support/apps';
import { seedAcceptedBroadcast, storedStats } from './support/stats-factories';

const SECRET = 'e2e-webhook-app-secret';
const VERIFY = 'e2e-verify-token';
const EXAMPLES = join(__dirname, 'fixtures/whatsapp-examples');

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('WhatsApp webhooks', () => {
  let api: INestApplication;
  let worker: INestApplicationContext;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let phoneNumberId: string;

  const post = (body: string | Buffer, signature: string | undefined = signPayload(body, SECRET)) => {
    const req = http.post('/webhooks/whatsapp').set('Content-Type', 'application/json');
    if (signature) req.set('X-Hub-Signature-256', signature);
    return req.send(typeof body === 'string' ? body : body.toString('utf8'));
  };
  const messagesChange = (value: Record<string, unknown>, field = 'messages') =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          changes: [
            {
              field,
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001', phone_number_id: phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    });
  const status = (wamid: string, s: string, ts: number, to = '919800000000') => ({
    id: wamid,
    status: s,
    timestamp: String(ts),
    recipient_id: to,
  });
  const stored = async (body: string) => {
    const [row] = await db.query('SELECT COUNT(*) AS n FROM webhook_events WHERE body_sha256 = ?', [
      createHash('sha256').update(body).digest(),
    ]);
    return Number(row.n);
  };
  const allApplied = async () => Number((await db.query('SELECT COUNT(*) AS n FROM webhook_events WHERE processed_at IS NULL'))[0].n) === 0;
  const optedOut = async (phone: string) => {
    const rows = await db.query('SELECT opted_out FROM contacts WHERE phone = ?', [phone]);
    return rows.length > 0 && Number(rows[0].opted_out) === 1;
  };

  beforeAll(async () => {
    const env = { WHATSAPP_APP_SECRET: SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY };
    api = await startApi(env);
    worker = await startWorker(env);
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    phoneNumberId = `wh${Date.now()}`;
    await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Webhooks', api: 'cloud', phoneNumberId, accessToken: 'tok', wabaId: 'WABA1' })
      .expect(201);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  describe('verification handshake', () => {
    it('echoes hub.challenge as text when the verify token matches', async () => {
      const res = await http
        .get('/webhooks/whatsapp')
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1158201444' })
        .expect(200);
      expect(res.text).toBe('1158201444');
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
    });

    it('answers 403 to a wrong token or mode', async () => {
      await http.get('/webhooks/whatsapp').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }).expect(403);
      await http
        .get('/webhooks/whatsapp')
        .query({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1' })
        .expect(403);
    });
  });

  describe('signature', () => {
    it('refuses a forged signature with 401 and stores nothing', async () => {
      const body = messagesChange({ statuses: [status('wamid.forged', 'read', 1)] });
      const res = await post(body, signPayload(body, 'not-the-secret')).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringMatching(/does not match/) });
      expect(await stored(body)).toBe(0);
    });

    it('refuses a missing signature with 401 and stores nothing', async () => {
      const body = messagesChange({ statuses: [status('wamid.unsigned', 'read', 1)] });
      const res = await post(body, '').expect(401);
      expect(res.body.message).toMatch(/missing/);
      expect(await stored(body)).toBe(0);
    });

    it('refuses a signature over other bytes (the same JSON re-serialised)', async () => {
      const body = messagesChange({ statuses: [status('wamid.reformatted', 'read', 1)] });
      const pretty = JSON.stringify(JSON.parse(body), null, 2);
      await post(pretty, signPayload(body, SECRET)).expect(401);
    });

    it('answers malformed JSON with 400', async () => {
      const res = await post('{"object":', signPayload('{"object":', SECRET)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/JSON/) });
    });
  });

  it('applies statuses once, whatever the order and however often they are delivered', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 2 });
    const [a, b] = recipients;
    const t = Math.floor(Date.now() / 1000);
    const read = messagesChange({ statuses: [status(a.wamid, 'read', t + 2)] });
    const delivered = messagesChange({ statuses: [status(a.wamid, 'delivered', t + 1), status(b.wamid, 'delivered', t + 1)] });
    const sent = messagesChange({ statuses: [status(a.wamid, 'sent', t), status(b.wamid, 'sent', t)] });
    for (const body of [read, read, delivered, sent, delivered, read]) await post(body).expect(200);
    expect(await stored(read)).toBe(1);

    await until('statuses applied', async () => (await storedStats(db, broadcastId)).delivered === 2);
    await until('all rows applied', allApplied);
    // A late duplicate inside a different body changes nothing either.
    await post(messagesChange({ statuses: [status(a.wamid, 'read', t + 2)], extra: 'retry' })).expect(200);
    await until('all rows applied', allApplied);
    const stats = await storedStats(db, broadcastId);
    expect(stats).toMatchObject({ sent: 2, delivered: 2, read: 1 });
    const rows = await db.query('SELECT status FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY id', [broadcastId]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['read', 'delivered']);
  });

  it('keeps a status that arrives before its send is recorded, and applies it later', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 1, withWamid: false });
    const wamid = `wamid.early${Date.now()}`;
    await post(messagesChange({ statuses: [status(wamid, 'delivered', Math.floor(Date.now() / 1000))] })).expect(200);
    await until('early status stored and processed', allApplied);
    await db.query('UPDATE broadcast_recipients SET wamid = ? WHERE id = ?', [wamid, recipients[0].id]);
    await until('early status applied', async () => (await storedStats(db, broadcastId)).delivered === 1, 20_000);
  });

  it('opts a contact out on STOP (any case) and back in on START', async () => {
    const from = `4915${Date.now().toString().slice(-9)}`;
    const text = (id: string, body: string, ts: number) =>
      messagesChange({
        contacts: [{ wa_id: from, profile: { name: 'P' } }],
        messages: [{ from, id, timestamp: String(ts), type: 'text', text: { body } }],
      });
    const t = Math.floor(Date.now() / 1000);
    await post(text(`wamid.stop${t}`, '  stop ', t)).expect(200);
    await until('opted out', () => optedOut(`+${from}`));
    await post(text(`wamid.start${t}`, 'Start', t + 1)).expect(200);
    await until('opted in', async () => !(await optedOut(`+${from}`)));
    // The STOP delivered again (a retry) does not opt them out again.
    await post(
      messagesChange({
        contacts: [{ wa_id: from }],
        messages: [{ from, id: `wamid.stop${t}`, timestamp: String(t), type: 'text', text: { body: 'STOP' } }],
        retry: 1,
      }),
    ).expect(200);
    await until('all rows applied', allApplied);
    expect(await optedOut(`+${from}`)).toBe(false);
  });

  it('keeps the newest choice when START arrives before an older STOP', async () => {
    const from = `3361${Date.now().toString().slice(-8)}`;
    const text = (id: string, body: string, ts: number) =>
      messagesChange({ contacts: [{ wa_id: from }], messages: [{ from, id, timestamp: String(ts), type: 'text', text: { body } }] });
    const t = Math.floor(Date.now() / 1000);
    await post(text(`wamid.late-start${t}`, 'START', t + 10)).expect(200);
    await until('all rows applied', allApplied);
    await post(text(`wamid.early-stop${t}`, 'STOP', t)).expect(200);
    await until('all rows applied', allApplied);
    expect(await optedOut(`+${from}`)).toBe(false);
  });

  it('flips opt-out state on user_preferences stop and resume', async () => {
    const waId = `4477${Date.now().toString().slice(-8)}`;
    const pref = (value: string, ts: number) =>
      messagesChange(
        {
          contacts: [{ wa_id: waId }],
          user_preferences: [
            { wa_id: waId, detail: `User requested to ${value} marketing messages`, category: 'marketing_messages', value, timestamp: ts },
          ],
        },
        'user_preferences',
      );
    const t = Math.floor(Date.now() / 1000);
    await post(pref('stop', t)).expect(200);
    await until('opted out', () => optedOut(`+${waId}`));
    await post(pref('resume', t + 5)).expect(200);
    await until('opted in', async () => !(await optedOut(`+${waId}`)));
  });

  it('keeps template status current from message_template_status_update', async () => {
    const name = `wh_tpl_${Date.now()}`;
    const created = await http
      .post('/v1/templates')
      .set(bearer())
      .send({
        name,
        language: 'en',
        category: 'MARKETING',
        wabaId: 'WABA1',
        components: [{ type: 'BODY', text: 'Hi {{1}}' }],
        status: 'APPROVED',
      })
      .expect(201);
    const update = (event: string, reason?: string) =>
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'WABA1',
            time: Date.now(),
            changes: [
              {
                field: 'message_template_status_update',
                value: {
                  event,
                  message_template_id: 98765,
                  message_template_name: name,
                  message_template_language: 'en',
                  reason: reason ?? 'NONE',
                },
              },
            ],
          },
        ],
      });
    await post(update('PAUSED', 'QUALITY_PENDING')).expect(200);
    await until('template paused', async () => (await http.get(`/v1/templates/${created.body.id}`).set(bearer())).body.status === 'PAUSED');
    const paused = await http.get(`/v1/templates/${created.body.id}`).set(bearer()).expect(200);
    expect(paused.body).toMatchObject({ status: 'PAUSED', statusReason: 'QUALITY_PENDING', metaId: '98765' });
    await post(update('REINSTATED')).expect(200);
    await until(
      'template approved again',
      async () => (await http.get(`/v1/templates/${created.body.id}`).set(bearer())).body.status === 'APPROVED',
    );
  });

  it('acknowledges events for an unknown phone number id and applies nothing', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 1 });
    const body = messagesChange({
      metadata: { phone_number_id: 'not-ours' },
      statuses: [status(recipients[0].wamid, 'read', Math.floor(Date.now() / 1000))],
    });
    await post(body).expect(200);
    await until('all rows applied', allApplied);
    expect((await storedStats(db, broadcastId)).read).toBe(0);
  });

  it('applies at once the events of a sender created a moment ago', async () => {
    // The previous test just made the router look up our numbers; this sender is newer than that.
    const freshNumber = `fresh${Date.now()}`;
    await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Fresh', api: 'cloud', phoneNumberId: freshNumber, accessToken: 'tok' })
      .expect(201);
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 1 });
    const body = messagesChange({
      metadata: { phone_number_id: freshNumber },
      statuses: [status(recipients[0].wamid, 'read', Math.floor(Date.now() / 1000))],
    });
    await post(body).expect(200);
    await until('all rows applied', allApplied);
    expect((await storedStats(db, broadcastId)).read).toBe(1);
  });

  const exampleFiles = readdirSync(EXAMPLES).filter((f) => /\.jsonc?$/.test(f));
  it.each(exampleFiles)('accepts the example payload %s', async (file) => {
    const raw = readFileSync(join(EXAMPLES, file));
    // .json files go byte for byte; .jsonc samples (comments, placeholders) are made JSON first.
    const body = file.endsWith('.jsonc') ? Buffer.from(JSON.stringify(parseLooseJson(raw.toString('utf8')))) : raw;
    await post(body).expect(200);
    expect(await stored(body.toString('utf8'))).toBe(1);
  });

  it('applied every stored example without errors', async () => {
    await until('all rows applied', allApplied);
    const failed = await db.query('SELECT id, last_error FROM webhook_events WHERE last_error IS NOT NULL');
    expect(failed).toEqual([]);
  });
});
