import request from 'supertest';
import { freePort } from '../apps/sandbox/src/spawn-sandbox';
import { OutboundEvents, writeOutbox } from '@clarion/outbound-webhooks';
import { bearer } from './support/apps';
import { PrivateRedis } from './support/private-redis';
import { waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';
import { startReceiver } from './support/webhook-receiver';

jest.setTimeout(120_000);

const EVENTS = 20;

/**
 * Deliveries waiting for their retry when Redis comes back empty: MySQL still knows them as in
 * flight, so the worker queues them again with the same event ids and every one arrives once.
 */
describe('outbound webhooks through a Redis restart (e2e)', () => {
  let redis: PrivateRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    stack = await startStack({
      env: {
        REDIS_URL: redis.url,
        WEBHOOK_RELAY_INTERVAL_MS: '100',
        // Long enough that every refused delivery is still waiting in Redis when Redis is killed.
        WEBHOOK_RETRY_BASE_MS: '4000',
        WEBHOOK_IN_FLIGHT_CHECK_MS: '500',
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.kill();
  });

  it('queues again what an emptied Redis lost; each event is delivered once, with its id', async () => {
    let accepting = false;
    const receiver = await startReceiver(() => (accepting ? 200 : 503));
    try {
      const endpoint = (
        await request(stack.url)
          .post('/v1/webhook-endpoints')
          .set(bearer())
          .send({ url: receiver.url, events: ['contact.opted_out'] })
          .expect(201)
      ).body;
      const events = Array.from({ length: EVENTS }, (_, i) => OutboundEvents.contactOptedOut(`+4915100000${100 + i}`, new Date()));
      await writeOutbox(stack.db, events);

      const ids = events.map((e) => e.id).sort();
      const idsAnswered = (status: number) =>
        [...new Set(receiver.received.filter((r) => r.answered === status).map((r) => String(r.headers['webhook-id'])))].sort();
      await waitFor(() => idsAnswered(503).length === EVENTS || undefined, 20_000, 'a refused first attempt of every event');
      const [{ n: inFlight }] = await stack.db.query('SELECT COUNT(*) AS n FROM webhook_in_flight WHERE endpoint_id = ?', [endpoint.id]);
      expect(Number(inFlight)).toBe(EVENTS);

      await redis.kill();
      await redis.start();
      accepting = true;

      await waitFor(() => idsAnswered(200).length === EVENTS || undefined, 30_000, 'every event delivered after the restart');
      expect(idsAnswered(200)).toEqual(ids);
      const delivered = receiver.received.filter((r) => r.answered === 200);
      expect(delivered).toHaveLength(EVENTS);
      const signed = receiver.verified(endpoint.secret).map((e) => e.data.phone);
      expect(new Set(signed)).toEqual(new Set(events.map((e) => e.data.phone)));
      await waitFor(
        async () => {
          const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM webhook_in_flight WHERE endpoint_id = ?', [endpoint.id]);
          return Number(n) === 0 || undefined;
        },
        10_000,
        'nothing left in flight',
      );
    } finally {
      await receiver.close();
    }
  });
});
