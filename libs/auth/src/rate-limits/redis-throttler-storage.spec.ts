import Redis from 'ioredis';
import type { RedisKeys } from '@clarion/queue';
import { RedisThrottlerStorage } from './redis-throttler-storage';

describe('RedisThrottlerStorage (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-throttle-${process.pid}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const storage = new RedisThrottlerStorage(redis, keys);
  let n = 0;
  const fresh = () => `subject-${++n}`;

  afterAll(async () => {
    const found = await redis.keys(`{${prefix}:*`);
    if (found.length) await redis.del(...found);
    redis.disconnect();
  });

  it('counts under the prefix and blocks past the limit', async () => {
    const key = fresh();
    expect((await storage.increment(key, 60_000, 2, 30_000, 'test')).isBlocked).toBe(false);
    expect((await storage.increment(key, 60_000, 2, 30_000, 'test')).totalHits).toBe(2);
    const third = await storage.increment(key, 60_000, 2, 30_000, 'test');
    expect(third).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    expect(await redis.exists(`{${prefix}:throttle:${key}:test}:hits`)).toBe(1);
  });

  it('takes a hit back, never below zero and never creating a counter', async () => {
    const key = fresh();
    await storage.increment(key, 60_000, 5, 60_000, 'test');
    await storage.increment(key, 60_000, 5, 60_000, 'test');
    await storage.decrement(key, 'test');
    expect((await storage.increment(key, 60_000, 5, 60_000, 'test')).totalHits).toBe(2);
    const hits = `{${prefix}:throttle:${key}:test}:hits`;
    expect(await redis.pttl(hits)).toBeGreaterThan(0); // the window's expiry is kept

    const untouched = fresh();
    await storage.decrement(untouched, 'test');
    expect(await redis.exists(`{${prefix}:throttle:${untouched}:test}:hits`)).toBe(0);

    const zero = fresh();
    await storage.increment(zero, 60_000, 5, 60_000, 'test');
    await storage.decrement(zero, 'test');
    await storage.decrement(zero, 'test');
    expect(await redis.get(`{${prefix}:throttle:${zero}:test}:hits`)).toBe('0');
  });
});
