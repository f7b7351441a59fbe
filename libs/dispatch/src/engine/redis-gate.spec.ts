import Redis from 'ioredis';
import { createServer } from 'node:net';
import { RedisGate } from './redis-gate';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisGate (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  afterAll(() => redis.disconnect());

  it('is open while Redis answers, and opens again after a failure once a PING answers', async () => {
    await redis.ping();
    const gate = new RedisGate(redis);
    expect(await gate.open()).toBe(true);
    gate.failed();
    expect(await gate.open()).toBe(true);
    expect(await gate.open()).toBe(true);
  });

  it('stays closed while Redis cannot be reached', async () => {
    const down = new Redis({ host: '127.0.0.1', port: await closedPort(), maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    try {
      const gate = new RedisGate(down);
      for (let i = 0; i < 3; i++) {
        expect(await gate.open()).toBe(false);
        await sleep(300);
      }
    } finally {
      down.disconnect();
    }
  });

  it('stays closed after a failure while PING gets no answer, even with the client connected', async () => {
    const silent = { status: 'ready', ping: () => new Promise<never>(() => undefined) };
    const gate = new RedisGate(silent);
    expect(await gate.open()).toBe(true);
    gate.failed();
    expect(await gate.open()).toBe(false);
  });
});
