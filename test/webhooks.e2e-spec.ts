import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { metrics } from '@clarion/observability';
import { parseLooseJson, signPayload } from '@clarion/whatsapp';
import { bearer, startApi, startWorker } from './support/apps';
import { seedAcceptedBroadcast, storedStats } from './support/stats-factories';

const SECRET = 'e2e-webhook-app-secret';
const VERIFY = 'e2e-verify-token';
const EXAMPLES = join(__dirname, 'fixtures/whatsapp-examples');

/** What each stored example must do once routed to our sender, contact and recipient. */
type ExampleEffect =
  | { kind: 'status'; errorCode?: number }
  | { kind: 'reply'; optsOut?: boolean }
  | { kind: 'inbound' }
  | { kind: 'preference'; optedOut: boolean }
  | { kind: 'template'; status: string; reason: string | null }
  | { kind: 'template-quality'; quality: string }
  | { kind: 'not-acted-on' };

const EXAMPLE_EFFECTS: Record<string, ExampleEffect> = {
  'webhook-status-sent.meta-docs.via-whaloc.json': { kind: 'status' },
  'webhook-status-sent.minimal.postman.json': { kind: 'status' },
  'webhook-status-sent.cbp-2024.production-capture.json': { kind: 'status' },
  'webhook-status-sent.pmp-2025-10.production-capture.json': { kind: 'status' },
  'webhook-status-sent.cbp-legacy.postman.PLACEHOLDERS.jsonc': { kind: 'status' },
  'webhook-status-delivered.bsuid-username.meta-docs.json': { kind: 'status' },
  'webhook-status-delivered.pmp-2025-10.production-capture.json': { kind: 'status' },
  'webhook-status-delivered.cbp-legacy.postman.PLACEHOLDERS.jsonc': { kind: 'status' },
  'webhook-status-read.cbp-2024.production-capture.json': { kind: 'status' },
  'webhook-status-read.pmp-2025-10.production-capture.json': { kind: 'status' },
  'webhook-status-failed.131049.meta-docs.via-whaloc.json': { kind: 'status', errorCode: 131049 },
  'webhook-status-failed.131014.postman.PLACEHOLDERS.jsonc': { kind: 'status', errorCode: 131014 },
  'webhook-inbound-text.meta-docs.via-whaloc.json': { kind: 'reply' },
  'webhook-inbound-text.openapi.json': { kind: 'reply' },
  'webhook-inbound-text.postman.json': { kind: 'reply' },
  'webhook-inbound-text.2025-10.production-capture.json': { kind: 'reply' },
  'webhook-inbound-button-quick-reply.postman.json': { kind: 'reply' },
  // "Unsubscribe" and "Cancel" are opt-out keywords (OPT_OUT_KEYWORDS), tapped or typed alike.
  'webhook-inbound-button-quick-reply.openapi.json': { kind: 'reply', optsOut: true },
  'webhook-inbound-interactive-button-reply.openapi.json': { kind: 'reply', optsOut: true },
  'webhook-inbound-unsupported.openapi.json': { kind: 'reply' },
  'webhook-inbound-deleted-message-unsupported-131051.postman.PLACEHOLDERS.jsonc': { kind: 'reply' },
  'webhook-inbound-system-user-changed-number.openapi.json': { kind: 'inbound' },
  'webhook-user-preferences.resume.meta-docs.json': { kind: 'preference', optedOut: false },
  // Its `<PREFERENCE>` placeholder is filled with "stop".
  'webhook-user-preferences.syntax.meta-docs.PLACEHOLDERS.jsonc': { kind: 'preference', optedOut: true },
  'webhook-template-status-rejected.via-whaloc.json': {
    kind: 'template',
    status: 'REJECTED',
    reason: 'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
  },
  'webhook-template-quality-update.via-whaloc.json': { kind: 'template-quality', quality: 'YELLOW' },
  'webhook-phone-number-quality-update.throughput-upgrade.via-whaloc.json': { kind: 'not-acted-on' },
  'webhook-business-capability-update.via-whaloc.json': { kind: 'not-acted-on' },
  'webhook-errors.130429.meta-docs.json': { kind: 'not-acted-on' },
};

interface ExampleTarget {
  waId: string;
  wamid: string;
  inboundWamid: string;
  templateName: string;
  templateId?: number;
  contactId: number;
  broadcastId: number;
  recipientId: number;
}

type Loose = Record<string, unknown>;
interface ExamplePayload {
  entry: Array<{
    id: unknown;
    changes: Array<{
      field: string;
      value: Loose & {
        metadata?: Loose;
        contacts?: Loose[];
        statuses?: Array<
          Loose & { status: string; timestamp: unknown; errors?: Array<{ title: string }>; pricing?: { category?: string } }
        >;
        messages?: Array<Loose & { type: string; timestamp: unknown; context?: Loose }>;
        user_preferences?: Array<Loose & { timestamp: unknown; value: unknown }>;
        message_template_name?: string;
      };
    }>;
  }>;
}

/** Epoch seconds as the example gives them, or now for a documentation placeholder. */
function epochOr(value: unknown): string {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? String(seconds) : String(Math.floor(Date.now() / 1000));
}

/** The example's own time (its first status, message or preference), or now. */
function exampleTime(payload: ExamplePayload): Date {
  const value = payload.entry[0]?.changes[0]?.value ?? {};
  const first = value.statuses?.[0] ?? value.messages?.[0] ?? value.user_preferences?.[0];
  return new Date(Number(epochOr(first?.timestamp)) * 1000);
}

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
  let senderId: number;

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
    const sender = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Webhooks', api: 'cloud', phoneNumberId, accessToken: 'tok', wabaId: 'WABA1', messagingLimit: 'unlimited' })
      .expect(201);
    senderId = sender.body.id;
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

  describe('every stored example, routed to one of our senders and recipients', () => {
    const examples = readdirSync(EXAMPLES).filter((f) => /^webhook-.*\.jsonc?$/.test(f));
    let seq = 0;

    it('has an expectation for each example webhook (a new fixture must say what it does)', () => {
      expect(examples.sort()).toEqual(Object.keys(EXAMPLE_EFFECTS).sort());
    });

    it.each(examples)('%s produces its effect', async (file) => {
      const effect = EXAMPLE_EFFECTS[file];
      const raw = readFileSync(join(EXAMPLES, file), 'utf8');
      // .jsonc samples (comments, bare placeholders) are read loosely; placeholders become real values below.
      const payload = (file.endsWith('.jsonc') ? parseLooseJson(raw) : JSON.parse(raw)) as ExamplePayload;
      const n = ++seq;
      const target = await seedExampleTarget(n, exampleTime(payload), effect);
      const routed = routeExample(payload, target);
      const body = JSON.stringify(routed);
      const otherBefore = await otherEvents();
      await post(body).expect(200);
      await until(`${file} applied`, async () => (await processed(body)) === 'applied');
      expect(await processed(body)).toBe('applied');

      const [recipient] = await db.query(
        'SELECT status, sent_at, delivered_at, read_at, failed_at, replied_at, error_code, error_title, pricing_category FROM broadcast_recipients WHERE id = ?',
        [target.recipientId],
      );
      const stats = await storedStats(db, target.broadcastId);
      const [contact] = await db.query('SELECT opted_out FROM contacts WHERE id = ?', [target.contactId]);
      const inbound = await db.query('SELECT type, contact_id, recipient_id, received_at FROM inbound_messages WHERE wamid = ?', [
        target.inboundWamid,
      ]);

      switch (effect.kind) {
        case 'status': {
          const s = routed.entry[0].changes[0].value.statuses![0];
          const at = new Date(Number(s.timestamp) * 1000);
          expect(recipient.status).toBe(s.status);
          if (s.status === 'failed') {
            expect(recipient.failed_at).toEqual(at);
            expect(Number(recipient.error_code)).toBe(effect.errorCode);
            expect(recipient.error_title).toBe(s.errors![0].title);
            expect(stats).toMatchObject({ failed: 1, sent: 0 });
          } else {
            const reached = { sent: 1, delivered: 2, read: 3 }[s.status as 'sent' | 'delivered' | 'read'];
            expect(recipient.sent_at).toEqual(at);
            expect(recipient.delivered_at).toEqual(reached >= 2 ? at : null);
            expect(recipient.read_at).toEqual(reached >= 3 ? at : null);
            expect(stats).toMatchObject({ sent: 1, delivered: reached >= 2 ? 1 : 0, read: reached >= 3 ? 1 : 0, failed: 0 });
            expect(recipient.pricing_category).toBe(s.pricing?.category ?? null);
          }
          break;
        }
        case 'reply':
        case 'inbound': {
          const m = routed.entry[0].changes[0].value.messages![0];
          expect(inbound).toEqual([
            expect.objectContaining({ type: m.type, contact_id: expect.anything(), received_at: new Date(Number(m.timestamp) * 1000) }),
          ]);
          expect(Number(inbound[0].contact_id)).toBe(target.contactId);
          if (effect.kind === 'reply') {
            expect(Number(inbound[0].recipient_id)).toBe(target.recipientId);
            expect(recipient.replied_at).toEqual(new Date(Number(m.timestamp) * 1000));
            expect(stats.replied).toBe(1);
          }
          expect(Number(contact.opted_out)).toBe(effect.kind === 'reply' && effect.optsOut ? 1 : 0);
          break;
        }
        case 'preference':
          expect(Number(contact.opted_out)).toBe(effect.optedOut ? 1 : 0);
          break;
        case 'template': {
          const [row] = await db.query('SELECT status, status_reason FROM templates WHERE id = ?', [target.templateId]);
          expect(row).toEqual({ status: effect.status, status_reason: effect.reason });
          break;
        }
        case 'template-quality': {
          const [row] = await db.query('SELECT status, quality_score FROM templates WHERE id = ?', [target.templateId]);
          expect(row).toEqual({ status: 'APPROVED', quality_score: effect.quality });
          break;
        }
        case 'not-acted-on':
          // Parsed and counted as an event Clarion does not act on, and nothing of ours changed.
          expect((await otherEvents()) - otherBefore).toBe(1);
          expect(recipient.status).toBe('queued');
          expect(stats).toMatchObject({ sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 });
          expect(Number(contact.opted_out)).toBe(0);
          break;
      }
    });
  });

  /** What a stored body became: applied, failed, or still pending. */
  async function processed(body: string): Promise<'applied' | 'failed' | 'pending'> {
    const [row] = await db.query('SELECT processed_at, last_error FROM webhook_events WHERE body_sha256 = ?', [
      createHash('sha256').update(body).digest(),
    ]);
    if (!row) return 'pending';
    if (row.last_error) return 'failed';
    return row.processed_at ? 'applied' : 'pending';
  }

  async function otherEvents(): Promise<number> {
    const { values } = await metrics.webhookEvents.get();
    return values.filter((v) => v.labels.kind === 'other').reduce((sum, v) => sum + v.value, 0);
  }

  /**
   * A contact, and a broadcast recipient with a wamid for it, accepted a moment before the
   * example's own time (so a reply falls inside the reply window); and, for a template event, the
   * template it names.
   */
  async function seedExampleTarget(n: number, at: Date, effect: ExampleEffect): Promise<ExampleTarget> {
    const waId = `1555${String(7_000_000 + n)}`;
    const c = await db.query('INSERT INTO contacts (phone, name, country, opted_out, opted_out_at) VALUES (?, ?, ?, ?, ?)', [
      `+${waId}`,
      `Example ${n}`,
      'US',
      effect.kind === 'preference' && !effect.optedOut ? 1 : 0,
      effect.kind === 'preference' && !effect.optedOut ? new Date(at.getTime() - 60_000) : null,
    ]);
    const b = await db.query(
      `INSERT INTO broadcasts (name, sender_id, template_id, template_name, template_language, template_category, status, tags, started_at)
       VALUES (?, ?, 1, 'promo', 'en', 'MARKETING', 'running', '[]', ?)`,
      [`example ${n}`, senderId, at],
    );
    const wamid = `wamid.example${n}`;
    const r = await db.query(
      `INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, country, dispatch_state, status, wamid, accepted_at)
       VALUES (?, ?, ?, 'US', 'accepted', 'queued', ?, ?)`,
      [b.insertId, c.insertId, `+${waId}`, wamid, new Date(at.getTime() - 5_000)],
    );
    await db.query('INSERT INTO broadcast_stats (broadcast_id, total, accepted) VALUES (?, 1, 1)', [b.insertId]);
    let templateId: number | undefined;
    if (effect.kind === 'template' || effect.kind === 'template-quality') {
      const t = await http
        .post('/v1/templates')
        .set(bearer())
        .send({
          name: `example_tpl_${n}`,
          language: 'en',
          category: 'MARKETING',
          wabaId: 'WABA1',
          components: [{ type: 'BODY', text: 'Hi {{1}}' }],
          status: 'APPROVED',
        })
        .expect(201);
      templateId = t.body.id;
    }
    return {
      waId,
      wamid,
      inboundWamid: `wamid.inbound-example${n}`,
      templateName: `example_tpl_${n}`,
      templateId,
      contactId: Number(c.insertId),
      broadcastId: Number(b.insertId),
      recipientId: Number(r.insertId),
    };
  }

  /**
   * The example addressed to our sender, WABA, contact and recipient: the ids Meta's samples
   * carry match nothing here (and documentation placeholders match nothing anywhere). Real
   * timestamps stay; placeholders become now. Everything else is left as Meta wrote it.
   */
  function routeExample(payload: ExamplePayload, target: ExampleTarget): ExamplePayload {
    const copy = JSON.parse(JSON.stringify(payload)) as ExamplePayload;
    for (const entry of copy.entry) {
      entry.id = 'WABA1';
      for (const { value } of entry.changes) {
        if (value.metadata) value.metadata.phone_number_id = phoneNumberId;
        for (const c of value.contacts ?? []) c.wa_id = target.waId;
        for (const s of value.statuses ?? []) {
          Object.assign(s, { id: target.wamid, recipient_id: target.waId, timestamp: epochOr(s.timestamp) });
        }
        for (const m of value.messages ?? []) {
          Object.assign(m, { id: target.inboundWamid, from: target.waId, timestamp: epochOr(m.timestamp) });
          if (m.context) m.context.id = target.wamid;
        }
        for (const p of value.user_preferences ?? []) {
          Object.assign(p, { wa_id: target.waId, timestamp: Number(epochOr(p.timestamp)) });
          if (!/^(stop|resume)$/.test(String(p.value))) p.value = 'stop';
        }
        if (value.message_template_name !== undefined) {
          // The template it names, in the language it was created in (the quality sample says "en-US").
          Object.assign(value, {
            message_template_name: target.templateName,
            message_template_id: `meta-${target.templateName}`,
            message_template_language: 'en',
          });
        }
      }
    }
    return copy;
  }
});
