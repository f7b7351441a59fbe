import type { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import type { RedisKeys } from '@clarion/queue';
import { ThroughputLimiter } from './throughput-limiter';

describe('ThroughputLimiter (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-limiter-${process.pid}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const config = { get: () => 2 } as unknown as ConfigService<Environment, true>;
  // Every sender below is marked as seeded, so the limiter never reads the ledger.
  const limiter = new ThroughputLimiter(redis, keys, config, {} as DataSource);
  let sender = 1;

  afterAll(async () => {
    const found = await redis.keys(`${prefix}:*`);
    if (found.length) await redis.del(...found);
    redis.disconnect();
  });
  beforeEach(async () => {
    sender++;
    await redis.set(keys.key('dispatch', 'tp', sender, 'seeded'), '1');
  });

  it('grants at most cap/20 per call and never more than the cap within a window', async () => {
    let granted = 0;
    const firstGrantNotBefore = Date.now();
    for (let i = 0; i < 40; i++) {
      const g = await limiter.acquire(sender, 100, 50);
      expect(g.granted).toBeLessThanOrEqual(5);
      granted += g.granted;
    }
    expect(granted).toBe(100);
    const refused = await limiter.acquire(sender, 100, 10);
    const elapsed = Date.now() - firstGrantNotBefore;
    expect(refused.granted).toBe(0);
    // The first grant leaves the window a second after it was made: however slow the loop ran.
    expect(refused.waitMs).toBeGreaterThanOrEqual(1_000 - elapsed - 2);
    expect(refused.waitMs).toBeGreaterThan(0);
    expect(refused.waitMs).toBeLessThanOrEqual(1_002);
  });

  it('keeps a settled grant in the window for a full second after its settlement', async () => {
    const g = await limiter.acquire(sender, 20, 1);
    expect(g.granted).toBe(1);
    for (let i = 0; i < 19; i++) await limiter.acquire(sender, 20, 1);
    await new Promise((r) => setTimeout(r, 600));
    await limiter.settle(sender, g.ref!);
    await new Promise((r) => setTimeout(r, 600));
    // 1.2 s after the grants: all but the settled one have left the window.
    const after = await limiter.acquire(sender, 20, 20);
    expect(after.granted).toBe(1); // cap/20 per call
    let more = 0;
    for (let i = 0; i < 30; i++) more += (await limiter.acquire(sender, 20, 1)).granted;
    expect(1 + more).toBe(19);
  });

  it('halves the rate on 130429, at most once a second, and lets it recover', async () => {
    expect(await limiter.slowDown(sender, 1_000)).toBe(500);
    expect(await limiter.slowDown(sender, 1_000)).toBeGreaterThanOrEqual(500);
    const g = await limiter.acquire(sender, 1_000, 1);
    expect(g.rate).toBeGreaterThanOrEqual(500);
    expect(g.rate).toBeLessThan(1_000);
  });
});
