import request from 'supertest';
import { freePort } from '../apps/sandbox/src/spawn-sandbox';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import { PrivateRedis } from './support/private-redis';
import { waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(240_000);

const RECIPIENTS = 5_000;
const CAP = 500;

/**
 * Redis restarted empty and MariaDB connections cut, each in the middle of a broadcast: the broadcast
 * finishes by itself from what MySQL holds, every recipient is sent exactly once (counted at the
 * sandbox), the counters add up and the messaging quota still counts every recipient.
 */
describe('dispatch through Redis and MariaDB outages', () => {
  let redis: PrivateRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    stack = await startStack({ env: { REDIS_URL: redis.url, DISPATCH_CLAIM_LEASE_MS: '2000' } });
    await approveDemoTemplates(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.kill();
  });

  async function startBroadcast(name: string) {
    const sender = await createSender(stack.url, { throughputMps: CAP, messagingLimit: 2 * RECIPIENTS });
    const { listId } = await seedList(stack.db, RECIPIENTS, (i) => ({ attributes: { order: `O${i}` } }));
    const res = await request(stack.url)
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name,
        senderId: sender.id,
        audience: { listId },
        template: { name: 'order_update', language: 'en_US' },
        variables: { '1': '{{name}}', '2': '{{order}}' },
      });
    expect(res.status).toBe(201);
    return { sender, id: res.body.id as number };
  }

  const acceptedSoFar = async (id: number) =>
    Number((await stack.db.query('SELECT accepted FROM broadcast_stats WHERE broadcast_id = ?', [id]))[0]?.accepted ?? 0);

  async function expectSentExactlyOnce(sender: { id: number; phoneNumberId: string }, id: number) {
    await broadcastCompleted(stack.url, id, 120_000);
    const phones = stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId, limit: 1_000_000 }).map((e) => e.to);
    expect(phones).toHaveLength(RECIPIENTS);
    expect(new Set(phones).size).toBe(RECIPIENTS);
    // The cap held through the outage too (the limiter's window was seeded again from MySQL).
    expect(stack.sandbox.stats(sender.phoneNumberId).maxInTrailingSecond).toBeLessThanOrEqual(CAP);

    const view = await request(stack.url).get(`/v1/broadcasts/${id}`).set(bearer()).expect(200);
    expect(view.body.stats).toMatchObject({ total: RECIPIENTS, queued: 0, failed: 0 });
    const rows: Array<{ state: string; n: string; wamids: string }> = await stack.db.query(
      'SELECT dispatch_state AS state, COUNT(*) AS n, COUNT(DISTINCT wamid) AS wamids FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY dispatch_state',
      [id],
    );
    expect(rows.map((r) => ({ state: r.state, n: Number(r.n), wamids: Number(r.wamids) }))).toEqual([
      { state: 'accepted', n: RECIPIENTS, wamids: RECIPIENTS },
    ]);
    expect(await acceptedSoFar(id)).toBe(RECIPIENTS);

    const quotas = await request(stack.url).get('/v1/dashboard/senders').set(bearer()).expect(200);
    const mine = (quotas.body as Array<{ id: number; quota: { used: number } }>).find((s) => s.id === sender.id);
    expect(mine?.quota.used).toBe(RECIPIENTS);
  }

  it('finishes a broadcast by itself after Redis is SIGKILLed mid-send and comes back empty, sending each recipient once; the quota survives Redis forgetting', async () => {
    const { sender, id } = await startBroadcast('redis restarted empty');
    await waitFor(async () => (await acceptedSoFar(id)) >= 2_000, 60_000, '2,000 sends before the outage');
    await redis.kill();
    await new Promise((r) => setTimeout(r, 3_000));
    await redis.start();
    await expectSentExactlyOnce(sender, id);

    // Redis forgets again, with nothing running: the quota read is rebuilt from MySQL, not reset to 0 used.
    await redis.kill();
    await redis.start();
    await waitFor(async () => (await request(stack.url).get('/health')).status === 200, 30_000, 'the API to reach the new Redis');
    const quotas = await request(stack.url).get('/v1/dashboard/senders').set(bearer()).expect(200);
    expect((quotas.body as Array<{ id: number; quota: { used: number } }>).find((s) => s.id === sender.id)?.quota.used).toBe(RECIPIENTS);
  });

  it('finishes a broadcast by itself after every MariaDB connection of the stack is killed mid-send, sending each recipient once', async () => {
    const { sender, id } = await startBroadcast('mariadb connections killed');
    await waitFor(async () => (await acceptedSoFar(id)) >= 2_000, 60_000, '2,000 sends before the outage');
    const database: string = (await stack.db.query('SELECT DATABASE() AS db'))[0].db;
    // Twice, a second apart: the first cut reaches the connections idle in the pools, the second
    // those opened since, mid-transaction.
    for (let round = 0; round < 2; round++) {
      // The test's own pool loses its connections too: the first query after a cut may land on a dead one.
      const conns: Array<{ id: string }> = await waitFor(
        () =>
          stack.db
            .query('SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()', [database])
            .catch(() => undefined),
        10_000,
        'the process list',
      );
      for (const c of conns) await stack.db.query(`KILL CONNECTION ${Number(c.id)}`).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await expectSentExactlyOnce(sender, id);
  });
});
