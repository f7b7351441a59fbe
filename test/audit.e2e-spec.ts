import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditRetentionScheduler } from '../apps/worker/src/audit/audit-retention.scheduler';
import { bearer, startApi, startWorker } from './support/apps';

interface Entry {
  id: number;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  outcome: string;
  target: { type: string | null; id: string | null } | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  address: string | null;
}

/**
 * The audit log end to end: real calls through the API's guard and the @Audited interceptor,
 * read back through GET /v1/audit; retention through the worker's pruning job.
 */
describe('Audit log (e2e)', () => {
  let api: INestApplication;
  let worker: INestApplicationContext;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let bootstrapTokenId: string;

  beforeAll(async () => {
    api = await startApi({ WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9' });
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    worker = await startWorker();
    await db.query(
      "INSERT IGNORE INTO templates (name, language, category, status, parameter_format, components) VALUES ('hello_world', 'en_US', 'UTILITY', 'APPROVED', 'POSITIONAL', ?)",
      [JSON.stringify([{ type: 'BODY', text: 'Hello World' }])],
    );
    bootstrapTokenId = String((await db.query('SELECT id FROM api_tokens WHERE bootstrap = 1'))[0].id);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  async function audit(query = ''): Promise<Entry[]> {
    return (await http.get(`/v1/audit${query}`).set(bearer()).expect(200)).body.data;
  }

  it('records sign-ins and failed sign-ins with the address, and user changes without passwords', async () => {
    const email = `person${randomInt(1e9)}@example.com`;
    const password = `secret password ${randomInt(1e9)}`;
    const user = (await http.post('/v1/users').set(bearer()).send({ email, name: 'Pat', role: 'marketer', password }).expect(201)).body;
    await http.post('/v1/auth/login').send({ email, password: 'not the password at all' }).expect(401);
    await http.post('/v1/auth/login').send({ email: email.toUpperCase(), password }).expect(200);

    const [signedIn, failed, created] = await audit('?limit=3');
    expect(created).toMatchObject({
      action: 'user.create',
      actor: { type: 'token', id: bootstrapTokenId },
      target: { type: 'user', id: String(user.id) },
      before: null,
      after: expect.objectContaining({ email, role: 'marketer', password_hash: '[redacted]' }),
    });
    expect(failed).toMatchObject({
      action: 'auth.sign_in_failed',
      outcome: 'failed',
      actor: { type: 'anonymous', name: email },
      after: { error: 'UNAUTHORIZED' },
    });
    expect(failed.address).toMatch(/127\.0\.0\.1/);
    expect(signedIn).toMatchObject({
      action: 'auth.sign_in',
      outcome: 'succeeded',
      actor: { type: 'user', id: String(user.id), name: email },
    });

    await http
      .patch(`/v1/users/${user.id}`)
      .set(bearer())
      .send({ role: 'analyst', password: `${password} new` })
      .expect(200);
    const [updated] = await audit('?action=user.update');
    expect(updated.before).toEqual({ role: 'marketer', password_hash: '[redacted]' });
    expect(updated.after).toEqual({ role: 'analyst', password_hash: '[changed]' });

    const everything = JSON.stringify(await audit('?limit=1000'));
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('$argon2');
  });

  it("records token and sender changes: caps before and after, a rotated access token as changed, never a secret's value", async () => {
    const issued = (await http.post('/v1/tokens').set(bearer()).send({ name: 'crm', role: 'marketer' }).expect(201)).body;
    const phoneNumberId = `au${randomInt(1e9)}`;
    const sender = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({ name: 'Audit', api: 'cloud', phoneNumberId, accessToken: 'EAAG-first-token-value', throughputMps: 80 })
        .expect(201)
    ).body;
    await http
      .patch(`/v1/senders/${sender.id}`)
      .set(bearer())
      .send({ throughputMps: 200, accessToken: 'EAAG-second-token-value' })
      .expect(200);
    await http.delete(`/v1/tokens/${issued.id}`).set(bearer()).expect(204);

    const [revoked, senderUpdate, senderCreate, tokenCreate] = await audit('?limit=4');
    expect(tokenCreate).toMatchObject({ action: 'token.create', target: { type: 'token', id: String(issued.id) } });
    expect(senderCreate).toMatchObject({
      action: 'sender.create',
      after: expect.objectContaining({ throughput_mps: 80, access_token_enc: '[redacted]' }),
    });
    expect(senderUpdate).toMatchObject({
      action: 'sender.update',
      target: { type: 'sender', id: String(sender.id) },
      before: { throughput_mps: 80, access_token_enc: '[redacted]' },
      after: { throughput_mps: 200, access_token_enc: '[changed]' },
    });
    expect(revoked).toMatchObject({ action: 'token.revoke', before: { revoked_at: null }, after: { revoked_at: expect.any(String) } });

    const everything = JSON.stringify(await audit('?limit=1000'));
    for (const secret of [issued.token, 'EAAG-first-token-value', 'EAAG-second-token-value']) expect(everything).not.toContain(secret);
  });

  it('records broadcast changes and exports, not refused calls; filters by actor, action and date and pages', async () => {
    const sender = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({ name: 'B', api: 'cloud', phoneNumberId: `ab${randomInt(1e9)}`, accessToken: 'EAAG-b' })
        .expect(201)
    ).body;
    const contact = (
      await http
        .post('/v1/contacts')
        .set(bearer())
        .send({ phone: `+49151${String(randomInt(1e8)).padStart(8, '0')}` })
        .expect(201)
    ).body;
    const scheduledAt = new Date(Date.now() + 86_400_000).toISOString();
    const broadcast = (
      await http
        .post('/v1/broadcasts')
        .set(bearer())
        .send({
          name: 'audited',
          senderId: sender.id,
          template: { name: 'hello_world', language: 'en_US' },
          audience: { contactIds: [contact.id] },
          variables: {},
          scheduledAt,
        })
        .expect(201)
    ).body;
    const refused = await http.post(`/v1/broadcasts/${broadcast.id}/pause`).set(bearer());
    expect(refused.status).toBeGreaterThanOrEqual(400);
    await http.post(`/v1/broadcasts/${broadcast.id}/cancel`).set(bearer()).expect(200);
    await http.get(`/v1/broadcasts/${broadcast.id}/recipients.csv`).set(bearer()).expect(200);

    const broadcasts = await audit('?action=broadcast.*');
    expect(broadcasts.map((e) => e.action)).toEqual(['broadcast.export_recipients', 'broadcast.cancel', 'broadcast.create']);
    expect(broadcasts.every((e) => e.target?.id === String(broadcast.id))).toBe(true);
    expect(broadcasts[1]).toMatchObject({
      before: expect.objectContaining({ status: 'scheduled' }),
      after: expect.objectContaining({ status: 'cancelled' }),
    });

    const mine = await audit(`?actor=token:${bootstrapTokenId}&limit=1000`);
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.every((e) => e.actor.type === 'token' && e.actor.id === bootstrapTokenId)).toBe(true);
    expect(await audit('?actor=user:999999')).toEqual([]);
    expect(await audit(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect((await audit(`?to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&limit=1000`)).length).toBe(
      (await audit('?limit=1000')).length,
    );

    const first = (await http.get('/v1/audit?limit=2').set(bearer()).expect(200)).body;
    expect(first.data).toHaveLength(2);
    const second = (await http.get(`/v1/audit?limit=2&cursor=${first.nextCursor}`).set(bearer()).expect(200)).body;
    expect(second.data[0].id).toBeLessThan(first.data[1].id);

    await http.get('/v1/audit?from=yesterday').set(bearer()).expect(400);
    await http.get('/v1/audit?action=DROP TABLE').set(bearer()).expect(400);
    const marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'm', role: 'marketer' }).expect(201)).body.token;
    await http.get('/v1/audit').set(bearer(marketer)).expect(403);
  });

  it('keeps entries for AUDIT_RETENTION_DAYS (400 by default): the worker prunes older ones', async () => {
    await db.query(
      "INSERT INTO audit_log (at, actor_type, action) VALUES (NOW(3) - INTERVAL 401 DAY, 'anonymous', 'old.entry'), (NOW(3) - INTERVAL 399 DAY, 'anonymous', 'kept.entry')",
    );
    const removed = await worker.get(AuditRetentionScheduler).prune();
    expect(removed).toBe(1);
    expect(await audit('?action=old.entry')).toEqual([]);
    expect(await audit('?action=kept.entry')).toHaveLength(1);
  });
});
