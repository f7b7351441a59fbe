import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ADMIN_TOKEN, bearer, startApi, startWorker } from './support/apps';
import { approveDemoTemplates, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { Sandbox, startSandbox } from './support/sandbox';

/**
 * Broadcasts end to end in one process: the real API and worker against MariaDB, Redis and the
 * sandbox — create/validate, skips with reasons, dry run, test send, scheduling, edit/cancel,
 * pause/resume without duplicates or gaps, retries after injected faults, the messaging limit.
 */
describe('broadcasts (API + worker + sandbox)', () => {
  let sandbox: Sandbox;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    sandbox = await startSandbox({ config: { webhook: { url: null }, defaultMps: 100_000 } });
    const env = {
      WHATSAPP_GRAPH_URL: sandbox.url,
      DISPATCH_RETRY_BASE_MS: '200',
      DISPATCH_PAIR_RATE_DELAY_MS: '300',
      MESSAGING_WINDOW_SECONDS: '4',
    };
    // This file's own database and Redis prefix come from test/support/per-file-isolation.ts:
    // broadcasts are picked up by any worker on the same database.
    api = await startApi(env);
    worker = await startWorker(env);
    url = await api.getUrl();
    db = api.get(DataSource);
    await approveDemoTemplates(db);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  const post = (path: string, body: unknown, token?: string) =>
    request(url)
      .post(path)
      .set(bearer(token ?? ADMIN_TOKEN))
      .send(body as object);
  const get = (path: string, token?: string) =>
    request(url)
      .get(path)
      .set(bearer(token ?? ADMIN_TOKEN));
  const details = async (id: number) => (await get(`/v1/broadcasts/${id}`)).body;
  const until = (id: number, statuses: string[], timeoutMs = 20_000) =>
    waitFor(
      async () => {
        const b = await details(id);
        return statuses.includes(b.status) ? b : undefined;
      },
      timeoutMs,
      `broadcast ${id} to be ${statuses.join('/')}`,
    );
  const sentTo = (phoneNumberId: string) => sandbox.ledger({ phoneNumberId }).map((e) => e.to.replace(/^\+?/, '+'));
  const orderUpdate = { template: { name: 'order_update', language: 'en_US' }, variables: { '1': '{{name|there}}', '2': '{{order}}' } };

  it('refuses bad input with a 4xx naming the problem, and analysts may only read', async () => {
    const sender = await createSender(url);
    const { listId } = await seedList(db, 2, () => ({ attributes: { order: 'A-1' } }));
    const base = { name: 'bad', senderId: sender.id, audience: { listId }, ...orderUpdate };

    const unknown = await post('/v1/broadcasts', { ...base, template: { name: 'nope', language: 'en_US' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/template/);

    await db.query(
      "INSERT INTO templates (waba_id, name, language, category, status, components) VALUES ('', 'pending_one', 'en_US', 'UTILITY', 'PENDING', '[]')",
    );
    const pending = await post('/v1/broadcasts', { ...base, template: { name: 'pending_one', language: 'en_US' }, variables: {} });
    expect(pending.status).toBe(400);
    expect(pending.body.message).toMatch(/PENDING/);

    const unmapped = await post('/v1/broadcasts', { ...base, variables: { '1': '{{name}}' } });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.message).toMatch(/"2"/);

    const noList = await post('/v1/broadcasts', { ...base, audience: { listId: 999_999 } });
    expect(noList.status).toBe(404);

    const badDate = await post('/v1/broadcasts', { ...base, scheduledAt: 'tomorrow' });
    expect(badDate.status).toBe(400);

    const analyst = (await post('/v1/tokens', { name: 'analyst', role: 'analyst' })).body.token as string;
    expect((await post('/v1/broadcasts', base, analyst)).status).toBe(403);
    expect((await post('/v1/broadcasts/dry-run', base, analyst)).status).toBe(403);
    const created = await post('/v1/broadcasts', { ...base, draft: true });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    expect((await get(`/v1/broadcasts/${created.body.id}`, analyst)).status).toBe(200);
    expect((await post(`/v1/broadcasts/${created.body.id}/cancel`, {}, analyst)).status).toBe(403);
  });

  it('skips with reasons before sending, sends every other recipient exactly once, and reports it', async () => {
    const sender = await createSender(url, { throughputMps: 500 });
    const { listId, contacts } = await seedList(db, 30, (i) => {
      if (i === 0) return { optedOut: true, attributes: { order: 'A' } };
      if (i === 1) return { phone: `+4900${String(Date.now()).slice(-6)}`, attributes: { order: 'A' } };
      if (i === 2) return { attributes: {} as Record<string, string> };
      if (i === 3) return { attributes: { order: 'line\nbreak' } };
      if (i === 4) return { attributes: { order: 'too     many spaces' } };
      if (i === 5) return { name: null, attributes: { order: 'B-5' } };
      return { attributes: { order: `O-${i}` } };
    });
    const body = { name: 'skips', senderId: sender.id, audience: { listId }, ...orderUpdate };

    const dry = await post('/v1/broadcasts/dry-run', body);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      total: 30,
      wouldSend: 25,
      skipped: 5,
      skippedByReason: { opted_out: 1, invalid_number: 1, missing_variable: 1, invalid_parameter: 2 },
    });
    expect(dry.body.samples[0].components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'there' },
          { type: 'text', text: 'B-5' },
        ],
      },
    ]);
    expect(sandbox.ledger({ phoneNumberId: sender.phoneNumberId })).toHaveLength(0);

    const created = await post('/v1/broadcasts', body);
    expect(created.status).toBe(201);
    expect(created.body.estimatedCost).toEqual({ amount: expect.any(Number), currency: 'USD' });
    expect(created.body.estimatedCost.amount).toBeGreaterThan(0);
    const done = await until(created.body.id, ['completed']);
    expect(done.stats).toMatchObject({ total: 30, skipped: 5, queued: 0 });
    expect(done.progress).toMatchObject({ accepted: 25, total: 25 });

    const rows = await recipientsOf(db, created.body.id);
    const reasons = Object.fromEntries(rows.filter((r) => r.skip_reason).map((r) => [r.phone, r.skip_reason]));
    expect(Object.values(reasons).sort()).toEqual([
      'invalid_number',
      'invalid_parameter',
      'invalid_parameter',
      'missing_variable',
      'opted_out',
    ]);
    expect(reasons[contacts.find((c) => c.phone === rows.find((r) => r.skip_reason === 'opted_out')!.phone)!.phone]).toBe('opted_out');
    const eligible = rows
      .filter((r) => !r.skip_reason)
      .map((r) => r.phone)
      .sort();
    expect(sentTo(sender.phoneNumberId).sort()).toEqual(eligible);
    expect(rows.filter((r) => r.dispatch_state === 'accepted').every((r) => r.wamid)).toBe(true);
  });

  it('test-sends one rendered message to one number', async () => {
    const sender = await createSender(url);
    const res = await post('/v1/broadcasts/test-send', {
      senderId: sender.id,
      ...orderUpdate,
      phone: '+4915199990001',
      name: 'Tess',
      attributes: { order: 'T-1' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, to: '+4915199990001' });
    const [entry] = sandbox.ledger({ phoneNumberId: sender.phoneNumberId });
    expect(entry.params).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Tess' },
          { type: 'text', text: 'T-1' },
        ],
      },
    ]);
    const invalid = await post('/v1/broadcasts/test-send', {
      senderId: sender.id,
      ...orderUpdate,
      phone: '12',
      attributes: { order: 'x' },
    });
    expect(invalid.status).toBe(400);
    const missing = await post('/v1/broadcasts/test-send', { senderId: sender.id, ...orderUpdate, phone: '+4915199990002' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/missing_variable/);
  });

  it('starts a scheduled broadcast within a second of its time; a rescheduled or cancelled one does not start early', async () => {
    const sender = await createSender(url);
    const { listId } = await seedList(db, 3, () => ({ attributes: { order: 'S' } }));
    const at = new Date(Date.now() + 2_500);
    const created = await post('/v1/broadcasts', {
      name: 'scheduled',
      senderId: sender.id,
      audience: { listId },
      ...orderUpdate,
      scheduledAt: at.toISOString(),
    });
    expect(created.body.status).toBe('scheduled');

    const moved = await post('/v1/broadcasts', {
      name: 'moved',
      senderId: sender.id,
      audience: { listId },
      ...orderUpdate,
      scheduledAt: at.toISOString(),
    });
    const later = new Date(Date.now() + 60_000);
    const patched = await request(url).patch(`/v1/broadcasts/${moved.body.id}`).set(bearer()).send({ scheduledAt: later.toISOString() });
    expect(patched.status).toBe(200);
    const cancelled = await post('/v1/broadcasts', {
      name: 'cancelled',
      senderId: sender.id,
      audience: { listId },
      ...orderUpdate,
      scheduledAt: at.toISOString(),
    });
    expect((await post(`/v1/broadcasts/${cancelled.body.id}/cancel`, {})).body.status).toBe('cancelled');

    const started = await until(created.body.id, ['running', 'completed'], 10_000);
    const lateMs = new Date(started.startedAt).getTime() - at.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1_000);
    await until(created.body.id, ['completed']);
    expect((await details(moved.body.id)).status).toBe('scheduled');
    expect((await details(cancelled.body.id)).status).toBe('cancelled');
    expect(sentTo(sender.phoneNumberId)).toHaveLength(3);

    const del = await request(url).delete(`/v1/broadcasts/${moved.body.id}`).set(bearer());
    expect(del.status).toBe(204);
    expect((await get(`/v1/broadcasts/${moved.body.id}`)).status).toBe(404);
    expect((await request(url).delete(`/v1/broadcasts/${created.body.id}`).set(bearer())).status).toBe(409);
  });

  it('pauses within a second and resumes with no recipient sent twice and none skipped', async () => {
    const sender = await createSender(url, { throughputMps: 100 });
    const { listId } = await seedList(db, 400, (i) => ({ attributes: { order: `P-${i}` } }));
    const created = await post('/v1/broadcasts', { name: 'pause me', senderId: sender.id, audience: { listId }, ...orderUpdate });
    await waitFor(() => sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).length >= 80, 10_000, 'some sends');
    const paused = await post(`/v1/broadcasts/${created.body.id}/pause`, {});
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    const pausedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1_500));
    const after = sandbox.ledger({ phoneNumberId: sender.phoneNumberId });
    expect(after.filter((e) => e.acceptedAt > pausedAt + 1_000)).toHaveLength(0);
    expect(after.length).toBeLessThan(400);
    expect((await post(`/v1/broadcasts/${created.body.id}/pause`, {})).status).toBe(409);

    expect((await post(`/v1/broadcasts/${created.body.id}/resume`, {})).body.status).toBe('running');
    await until(created.body.id, ['completed'], 20_000);
    const phones = sentTo(sender.phoneNumberId);
    expect(new Set(phones).size).toBe(phones.length);
    const rows = await recipientsOf(db, created.body.id);
    expect(phones.sort()).toEqual(rows.map((r) => r.phone).sort());
    expect(rows.every((r) => r.dispatch_state === 'accepted')).toBe(true);
  });

  it('retries transient errors, 130429 and 131056 until every recipient is accepted once', async () => {
    const sender = await createSender(url, { throughputMps: 1000 });
    const { listId } = await seedList(db, 150, (i) => ({ attributes: { order: `F-${i}` } }));
    sandbox.configure({ faults: { errorRates: { '131000': 0.15, '130429': 0.05, '131056': 0.1 }, serverErrorRate: 0.05 } });
    try {
      const created = await post('/v1/broadcasts', {
        name: 'faults',
        senderId: sender.id,
        audience: { listId },
        ...orderUpdate,
        errorPolicy: { maxFailureRate: 0.9, minSample: 1000 },
      });
      const done = await until(created.body.id, ['completed'], 40_000);
      const rows = await recipientsOf(db, created.body.id);
      const accepted = rows.filter((r) => r.dispatch_state === 'accepted');
      const failed = rows.filter((r) => r.dispatch_state === 'failed');
      // Transient errors may exhaust DISPATCH_MAX_ATTEMPTS (5) for a very unlucky recipient: recorded as failed with its code.
      expect(accepted.length + failed.length).toBe(150);
      expect(failed.length).toBeLessThanOrEqual(2);
      expect(failed.every((r) => r.error_code !== null)).toBe(true);
      expect(rows.some((r) => r.attempts > 1)).toBe(true);
      const phones = sentTo(sender.phoneNumberId);
      expect(new Set(phones).size).toBe(phones.length);
      expect(phones.sort()).toEqual(accepted.map((r) => r.phone).sort());
      expect(done.stats.total).toBe(150);
      expect(sandbox.stats(sender.phoneNumberId).rejectedByCode).toMatchObject({
        '131000': expect.any(Number),
        '131056': expect.any(Number),
      });
    } finally {
      sandbox.configure({ faults: { errorRates: {}, serverErrorRate: 0 } });
    }
  });

  it('waits for the messaging limit and resumes by itself as the window frees, counting the window from when sends are answered', async () => {
    const sender = await createSender(url, { messagingLimit: 10, portfolio: `pf-${Date.now()}` });
    const { listId } = await seedList(db, 25, (i) => ({ attributes: { order: `Q-${i}` } }));
    // The first window's answers are slow (a cold connection, say); the next window's are quick.
    // Counted from admission, the window would free 2 s too early and the next 10 sends would
    // reach WhatsApp within 4 s of the first 10.
    sandbox.configure({ faults: { latencyMs: 2_000 } });
    try {
      const created = await post('/v1/broadcasts', { name: 'tier', senderId: sender.id, audience: { listId }, ...orderUpdate });
      const waiting = await until(created.body.id, ['waiting_quota'], 10_000);
      sandbox.configure({ faults: { latencyMs: 0 } });
      expect(waiting.quota).toMatchObject({ limit: 10, remaining: 0, windowSeconds: 4 });
      expect(new Date(waiting.quota.nextFreeAt).getTime()).toBeGreaterThan(Date.now() - 1_000);
      expect(waiting.statusReason).toMatch(/messaging limit/);
      await until(created.body.id, ['completed'], 30_000);
    } finally {
      sandbox.configure({ faults: { latencyMs: 0 } });
    }
    const entries = sandbox.ledger({ phoneNumberId: sender.phoneNumberId });
    expect(new Set(entries.map((e) => e.to)).size).toBe(25);
    // Never more than 10 unique recipients in any 4-second window.
    for (const e of entries)
      expect(entries.filter((x) => x.acceptedAt >= e.acceptedAt && x.acceptedAt < e.acceptedAt + 4_000).length).toBeLessThanOrEqual(10);
  });

  it('goes on by itself when Redis restarts empty: a running broadcast finishes exactly once, a scheduled one still starts', async () => {
    const sender = await createSender(url, { throughputMps: 100 });
    const { listId } = await seedList(db, 300, (i) => ({ attributes: { order: `R-${i}` } }));
    const running = await post('/v1/broadcasts', { name: 'redis loss', senderId: sender.id, audience: { listId }, ...orderUpdate });
    const soon = await post('/v1/broadcasts', {
      name: 'scheduled, redis loss',
      senderId: sender.id,
      audience: { listId },
      ...orderUpdate,
      scheduledAt: new Date(Date.now() + 2_000).toISOString(),
    });
    await waitFor(() => sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).length >= 50, 10_000, 'some sends');
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    await until(running.body.id, ['completed'], 30_000);
    await until(soon.body.id, ['completed'], 30_000);
    const phones = sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).map((e) => e.to);
    expect(phones).toHaveLength(600);
    const perBroadcast = (id: number) =>
      sandbox
        .ledger({ phoneNumberId: sender.phoneNumberId })
        .filter((e) => e.callbackData?.startsWith(`clarion:b${id}:`))
        .map((e) => e.to);
    expect(new Set(perBroadcast(running.body.id)).size).toBe(300);
    expect(new Set(perBroadcast(soon.body.id)).size).toBe(300);
  });

  it('marks the sender broken on an auth error and pauses its broadcasts with the reason; copies a broadcast', async () => {
    const sender = await createSender(url);
    const { listId } = await seedList(db, 5, () => ({ attributes: { order: 'X' } }));
    sandbox.configure({ accessTokens: ['another-token'] });
    try {
      const created = await post('/v1/broadcasts', { name: 'auth', senderId: sender.id, audience: { listId }, ...orderUpdate });
      const paused = await until(created.body.id, ['paused']);
      expect(paused.statusReason).toMatch(/credentials were refused.*190/);
      expect((await get(`/v1/senders/${sender.id}`)).body.status).toBe('broken');
      expect(sandbox.ledger({ phoneNumberId: sender.phoneNumberId })).toHaveLength(0);
      const rows = await recipientsOf(db, created.body.id);
      expect(rows.every((r) => r.dispatch_state === 'pending')).toBe(true);

      const copy = await post(`/v1/broadcasts/${created.body.id}/copy`, {});
      expect(copy.status).toBe(201);
      expect(copy.body).toMatchObject({ copiedFromId: created.body.id, senderId: sender.id, variables: orderUpdate.variables });
      await post(`/v1/broadcasts/${copy.body.id}/cancel`, {});
    } finally {
      sandbox.configure({ accessTokens: null });
    }
  });
});
