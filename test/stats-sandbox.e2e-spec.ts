import type { INestApplicationContext } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { Sandbox } from './support/sandbox';
import { waitFor } from './support/processes';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender } from './support/broadcast-fixtures';
import { startStack, type Stack } from './support/stack';

/**
 * Statistics end to end: a real broadcast through dispatch and the sandbox, whose webhooks come
 * back signed, early (before the send is answered), duplicated and in reverse order, with
 * failures, replies and STOPs. The figures must equal what the sandbox did, exactly.
 */
describe('Statistics against the sandbox (e2e)', () => {
  let stack: Stack;
  let sandbox: Sandbox;
  let worker: INestApplicationContext;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let senderId: number;
  let phoneNumberId: string;

  beforeAll(async () => {
    phoneNumberId = `st${randomInt(1e9)}`;
    stack = await startStack({
      env: { STATS_SWEEP_INTERVAL_MS: '300' },
      webhooks: { flushIntervalMs: 20, maxBatch: 50 },
      sandbox: {
        statuses: {
          sentDelayMs: 0,
          deliveredDelayMs: 30,
          readDelayMs: 60,
          jitterMs: 40,
          deliveredProbability: 1,
          readProbability: 1,
          earlyWebhook: true,
          duplicateProbability: 0.5,
          reorder: true,
        },
        replyDelayMs: 0,
      },
      // One sender for the file: created before the worker starts, so its number is known to the webhook router.
      beforeWorker: async ({ url }) => {
        senderId = (await createSender(url, { phoneNumberId, throughputMps: 500 })).id;
      },
    });
    ({ sandbox, worker, db } = stack);
    http = request(stack.api.getHttpServer());
    await approveDemoTemplates(db);
  });
  /** Sends hello_world to the contacts and waits until it completed and the sandbox's webhooks are out. */
  async function broadcastToCompletion(name: string, contactIds: number[]): Promise<number> {
    const created = await http
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name, senderId, template: { name: 'hello_world', language: 'en_US' }, audience: { contactIds }, variables: {} })
      .expect(201);
    const id = created.body.id as number;
    await broadcastCompleted(stack.url, id);
    await sandbox.webhooksIdle();
    return id;
  }

  afterAll(() => stack?.close());

  it('counts exactly what the sandbox reported: sent, delivered, read, failed, replied, cost', async () => {
    const base = randomInt(99_000_000);
    const phones = Array.from({ length: 40 }, (_, i) => `9197${String(base + i).padStart(8, '0')}`);
    const contactIds: number[] = [];
    for (const p of phones) {
      const res = await db.query("INSERT INTO contacts (phone, name, country) VALUES (?, 'S', 'IN')", [`+${p}`]);
      contactIds.push(Number(res.insertId));
    }
    const failing = phones.slice(0, 4);
    const repliers = phones.slice(4, 8);
    const stoppers = phones.slice(8, 10);
    sandbox.configure({
      failNumbers: Object.fromEntries(failing.map((p) => [p, 131026])),
      replyNumbers: Object.fromEntries(repliers.map((p) => [p, 'Yes please'])),
      stopNumbers: stoppers,
    });

    const id = await broadcastToCompletion(`stats e2e ${phoneNumberId}`, contactIds);

    const ledger = sandbox.ledger({ phoneNumberId });
    expect(ledger).toHaveLength(40);
    const failed = ledger.filter((e) => failing.includes(e.to.replace('+', ''))).length;
    const delivered = ledger.length - failed;
    const expected = {
      total: 40,
      sent: delivered,
      delivered,
      read: delivered,
      failed,
      replied: repliers.length + stoppers.length,
      skipped: 0,
      queued: 0,
    };

    const stats = await waitFor(
      async () => {
        const res = await http.get(`/v1/broadcasts/${id}/stats`).set(bearer()).expect(200);
        return res.body.stats.read === expected.read && res.body.stats.replied === expected.replied ? res.body : undefined;
      },
      20_000,
      'statistics to catch up with the webhooks',
    ).catch(async (err) => {
      const last = await http.get(`/v1/broadcasts/${id}/stats`).set(bearer());
      const inbound = await db.query(
        'SELECT wamid, context_wamid, contact_id, recipient_id, created_at, received_at FROM inbound_messages',
      );
      const parkedNow = await db.query('SELECT wamid, status FROM parked_status_events');
      const hooks = await db.query('SELECT COUNT(*) n, SUM(processed_at IS NULL) pending, MAX(last_error) err FROM webhook_events');
      throw new Error(`${(err as Error).message}: ${JSON.stringify({ stats: last.body.stats, expected, inbound, parkedNow, hooks })}`);
    });
    expect(stats.stats).toMatchObject({ ...expected, awaitingDelivery: 0 });
    expect(stats.stats.cost).toBeCloseTo(delivered * 0.0014, 6); // UTILITY to IN, config/pricing.json
    expect(stats.countries).toEqual([
      {
        country: 'IN',
        sent: delivered,
        delivered,
        read: delivered,
        failed,
        replied: expected.replied,
        cost: expect.closeTo(delivered * 0.0014, 6),
      },
    ]);
    expect(stats.failuresByCode).toEqual([{ code: 131026, title: expect.any(String), count: failed }]);
    const sum = (k: string) => stats.timeSeries.reduce((n: number, m: Record<string, number>) => n + m[k], 0);
    expect([sum('sent'), sum('delivered'), sum('read'), sum('failed')]).toEqual([delivered, delivered, delivered, failed]);

    // The broadcast view reads the same counters; the ledger rows agree one by one.
    const view = await http.get(`/v1/broadcasts/${id}`).set(bearer()).expect(200);
    expect(view.body.stats).toMatchObject(expected);
    const rows: Array<{ wamid: string; status: string; phone: string }> = await db.query(
      'SELECT wamid, status, phone FROM broadcast_recipients WHERE broadcast_id = ?',
      [id],
    );
    const byWamid = new Map(rows.map((r) => [r.wamid, r]));
    for (const entry of ledger) {
      const row = byWamid.get(entry.wamid);
      expect(row).toBeDefined();
      expect(row?.status).toBe(failing.includes(entry.to.replace('+', '')) ? 'failed' : 'read');
    }
    const [{ n: parked }] = await db.query('SELECT COUNT(*) AS n FROM parked_status_events');
    expect(Number(parked)).toBe(0);

    const recon = await http.post(`/v1/broadcasts/${id}/reconcile`).set(bearer()).expect(200);
    expect(recon.body.fixes).toEqual([]);
  });

  it('shows sends without a delivery update as awaiting, and the scheduled reconciliation repairs drift', async () => {
    sandbox.configure({
      statuses: { deliveredProbability: 0, earlyWebhook: false, duplicateProbability: 1 },
      failNumbers: {},
      replyNumbers: {},
      stopNumbers: [],
    });
    const ledgerBefore = sandbox.ledger({ phoneNumberId }).length;
    const base = randomInt(99_000_000);
    const contactIds: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await db.query("INSERT INTO contacts (phone, name, country) VALUES (?, 'S', 'IN')", [
        `+9196${String(base + i).padStart(8, '0')}`,
      ]);
      contactIds.push(Number(res.insertId));
    }
    const id = await broadcastToCompletion(`stats awaiting ${phoneNumberId}`, contactIds);
    expect(sandbox.ledger({ phoneNumberId }).length - ledgerBefore).toBe(12);
    const stats = await waitFor(
      async () => {
        const res = await http.get(`/v1/broadcasts/${id}/stats`).set(bearer()).expect(200);
        return res.body.stats.sent === 12 ? res.body.stats : undefined;
      },
      20_000,
      'sent statuses',
    );
    expect(stats).toMatchObject({ sent: 12, awaitingDelivery: 12, delivered: 0, read: 0, failed: 0 });

    await db.query('UPDATE broadcast_stats SET sent = 20, awaiting_delivery = 1 WHERE broadcast_id = ?', [id]);
    const { StatsScheduler } = await import('../apps/worker/src/stats/stats-scheduler');
    await worker.get(StatsScheduler).reconcile();
    const after = await http.get(`/v1/broadcasts/${id}/stats`).set(bearer()).expect(200);
    expect(after.body.stats).toMatchObject({ sent: 12, awaitingDelivery: 12 });
  });
});
