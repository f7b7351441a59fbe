import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { steadySeconds } from '../apps/sandbox/src/receive-rate';
import { bearer, startApi } from './support/apps';
import { approveDemoTemplates, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { SandboxProcess, spawnSandboxProcess, SpawnedWorker, spawnWorkerProcess, waitFor } from './support/processes';

/** At least this share of the cap is used in the steady state, however many broadcasts share the sender. */
const FLOOR = 0.9;

/**
 * The median steady second carries at least `floor` of `cap` (the seconds are in the failure
 * message). The median, not the mean: on a loaded machine a second or two stall (another process
 * takes the cores), while an engine that leaves part of the cap unused does so in most seconds. At
 * least five seconds are measured, so a short run cannot pass by having few.
 */
function expectCapUsed(perSecond: number[], cap: number, floor = FLOOR): void {
  expect(perSecond.length).toBeGreaterThanOrEqual(5);
  const sorted = [...perSecond].sort((a, b) => a - b);
  const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
  const seconds = perSecond.join(' ');
  expect({ cap, median, seconds, floorMet: median >= floor * cap }).toEqual({ cap, median, seconds, floorMet: true });
}

/**
 * The throughput cap and crash safety with real worker processes (dist/): the cap is measured by
 * the sandbox at the receiving end (most sends accepted in any one-second window), which itself
 * would take far more, so an overshoot would show. The floor (how much of the cap is used) is
 * counted from the sandbox's receive times too, per whole second of the steady state: the first
 * and last second of sending (ramp-up, tail) are left out, never the test's own clock.
 */
describe('dispatch throttling across worker processes', () => {
  let sandbox: SandboxProcess;
  let api: INestApplication;
  let url: string;
  let db: DataSource;
  let workerEnv: Record<string, string>;
  const workers: SpawnedWorker[] = [];

  beforeAll(async () => {
    sandbox = await spawnSandboxProcess({
      SANDBOX_MPS: '100000',
      SANDBOX_WEBHOOK_URL: 'off',
      SANDBOX_CONFIG: JSON.stringify({ pairRate: null }),
    });
    workerEnv = {
      // This file's own database and Redis prefix (test/support/per-file-isolation.ts), for the spawned workers.
      DATABASE_URL: process.env.DATABASE_URL as string,
      REDIS_PREFIX: process.env.REDIS_PREFIX as string,
      WHATSAPP_GRAPH_URL: sandbox.url,
      WHATSAPP_APP_SECRET: 'clarion-sandbox-app-secret',
      DISPATCH_CLAIM_LEASE_MS: '1500',
    };
    api = await startApi(workerEnv);
    url = await api.getUrl();
    db = api.get(DataSource);
    await approveDemoTemplates(db);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api?.close();
    await sandbox?.stop();
  });

  async function broadcastAtCap(cap: number, seconds: number) {
    const sender = await createSender(url, { throughputMps: cap });
    const count = Math.round(cap * seconds);
    const { listId } = await seedList(db, count, (i) => ({ attributes: { order: `C${i}` } }));
    const res = await request(url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: `cap ${cap}`,
        senderId: sender.id,
        audience: { listId },
        template: { name: 'order_update', language: 'en_US' },
        variables: { '1': '{{name}}', '2': '{{order}}' },
      });
    expect(res.status).toBe(201);
    return { sender, count, id: res.body.id as number };
  }

  const completed = (id: number, timeoutMs: number) =>
    waitFor(
      async () => (await request(url).get(`/v1/broadcasts/${id}`).set(bearer())).body.status === 'completed',
      timeoutMs,
      `broadcast ${id} to complete`,
    );

  /** Eight seconds of sends: six steady seconds are measured. */
  async function expectCapHeldAndUsed(cap: number, floor = FLOOR) {
    const { sender, count, id } = await broadcastAtCap(cap, 8);
    await completed(id, 45_000);
    const stats = await sandbox.stats(sender.phoneNumberId);
    expect(stats.accepted).toBe(count);
    expect(stats.maxInTrailingSecond).toBeLessThanOrEqual(cap);
    expect(stats.rejectedByCode['130429'] ?? 0).toBe(0);
    const ledger = await sandbox.ledger(sender.phoneNumberId);
    expect(new Set(ledger.map((e) => e.to)).size).toBe(count);
    expectCapUsed(steadySeconds(ledger.map((e) => e.acceptedAt)), cap, floor);
  }

  /** A short broadcast first, so that what is measured is a worker that has booted and warmed up, not its first second. */
  async function warmUp() {
    const { id } = await broadcastAtCap(1_000, 0.5);
    await completed(id, 30_000);
  }

  describe('one worker process', () => {
    beforeAll(async () => {
      workers.push(spawnWorkerProcess(workerEnv));
      await warmUp();
    });
    it.each([70, 250, 500])('keeps a %i msg/s sender at or under its cap and uses at least 90% of it', (cap) => expectCapHeldAndUsed(cap));
  });

  describe('two worker processes', () => {
    beforeAll(async () => {
      workers.push(spawnWorkerProcess(workerEnv));
      await warmUp();
    });
    it.each([70, 250, 500])('keeps a %i msg/s sender at or under its cap and uses at least 90% of it', (cap) => expectCapHeldAndUsed(cap));

    // At 1,000 msg/s this 2-core machine is the limit (sandbox, two workers, the API, MariaDB and
    // Redis share it): alone it uses 94–100% of the cap, with other test runs on the machine the
    // median second fell to 85%. 75% holds there; the floors above catch an engine that wastes the cap.
    it('keeps a 1000 msg/s sender at or under its cap and uses at least 75% of it', () => expectCapHeldAndUsed(1_000, 0.75));

    it('shares one sender fairly between two running broadcasts and uses at least 90% of its cap', async () => {
      const cap = 200;
      const sender = await createSender(url, { throughputMps: cap });
      const lists = await Promise.all([
        seedList(db, 1_200, () => ({ attributes: { order: 'a' } })),
        seedList(db, 1_200, () => ({ attributes: { order: 'b' } })),
      ]);
      const ids: number[] = [];
      for (const [i, l] of lists.entries()) {
        const res = await request(url)
          .post('/v1/broadcasts')
          .set(bearer())
          .send({
            name: `fair ${i}`,
            senderId: sender.id,
            audience: { listId: l.listId },
            template: { name: 'order_update', language: 'en_US' },
            variables: { '1': '{{name}}', '2': '{{order}}' },
          });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      await completed(ids[0], 45_000);
      await completed(ids[1], 45_000);
      // While both had recipients left (first send of the second to the last of either), they shared
      // the cap. (The second may start up to a second late: each lane of each worker may hold a claimed batch of the first.)
      const entries = await sandbox.ledger(sender.phoneNumberId);
      expect(entries).toHaveLength(2_400);
      const ofA = entries.map((e) => e.callbackData?.startsWith(`clarion:b${ids[0]}:`));
      const both = entries.slice(ofA.indexOf(false), Math.min(ofA.lastIndexOf(true), ofA.lastIndexOf(false)) + 1);
      expect(both.length).toBeGreaterThan(1_600);
      const shareOfA = both.filter((e) => e.callbackData?.startsWith(`clarion:b${ids[0]}:`)).length / both.length;
      expect(shareOfA).toBeGreaterThan(0.35);
      expect(shareOfA).toBeLessThan(0.65);
      const times = entries.map((e) => e.acceptedAt);
      expectCapUsed(steadySeconds(times, both[0].acceptedAt, both[both.length - 1].acceptedAt), cap);
      expect((await sandbox.stats(sender.phoneNumberId)).maxInTrailingSecond).toBeLessThanOrEqual(cap);
    });
  });

  it('loses and duplicates no recipient when a worker is killed with SIGKILL mid-broadcast and restarted', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    // Status webhooks flow (sandbox → API → inbox → worker): a recipient whose send was accepted
    // just before the kill gets its wamid from the 'sent' status, and recovery marks it accepted
    // instead of resending it. Without them the duplicate window is one batch (docs/dispatch.md).
    await sandbox.configure({ webhook: { url: `${url}/webhooks/whatsapp` } });
    const victim = spawnWorkerProcess(workerEnv);
    workers.push(victim);
    const { sender, count, id } = await broadcastAtCap(250, 6);
    await waitFor(async () => (await sandbox.stats(sender.phoneNumberId)).accepted >= 300, 20_000, 'sends before the kill');
    await victim.kill();
    const atKill = (await sandbox.stats(sender.phoneNumberId)).accepted;
    expect(atKill).toBeLessThan(count);
    const claimed = await db.query("SELECT COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? AND dispatch_state = 'claimed'", [
      id,
    ]);
    workers.push(spawnWorkerProcess(workerEnv));
    // Usually done within seconds; if the killed worker held a batch of the webhook inbox (leased
    // for 60 s by @clarion/webhooks), recovery waits for those statuses before handing claims back.
    await completed(id, 90_000);

    const ledger = await sandbox.ledger(sender.phoneNumberId);
    const rows = await recipientsOf(db, id);
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => r.dispatch_state === 'accepted')).toBe(true);
    const phones = ledger.map((e) => e.to);
    // The kill landed mid-batch (rows claimed, some of them sent), yet every recipient got exactly one message.
    expect(Number(claimed[0].n)).toBeGreaterThan(0);
    expect(new Set(phones).size).toBe(count);
    expect(phones).toHaveLength(count);
    const wamids = new Map(ledger.map((e) => [e.callbackData, e.wamid]));
    expect(rows.every((r) => wamids.get(`clarion:b${id}:r${r.id}`) === r.wamid)).toBe(true);
  }, 120_000);
});
