import type { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import type { RedisKeys } from '@clarion/queue';
import { MessagingQuota, QuotaScope } from './messaging-quota';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MessagingQuota (real Redis, 1 s window)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-quota-${process.pid}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const config = { get: () => 1 } as unknown as ConfigService<Environment, true>;
  // Every scope below is marked as built, so the quota never rebuilds it from MySQL.
  const quota = new MessagingQuota(redis, keys, {} as DataSource, config);
  let senderId = 0;
  let scope: QuotaScope;

  beforeEach(async () => {
    senderId++;
    scope = { senderId, portfolio: null, limit: 2 };
    await redis.set(keys.key('dispatch', 'quota', 's', senderId) + ':built', '1');
  });

  afterAll(async () => {
    const found = await redis.keys(`${prefix}:*`);
    if (found.length) await redis.del(...found);
    redis.disconnect();
  });

  it('admits new recipients up to the limit; one already counted passes again without a slot', async () => {
    expect(await quota.admit(scope, ['+911', '+912', '+913'])).toEqual([true, true, false]);
    expect(await quota.admit(scope, ['+912', '+914'])).toEqual([true, false]);
    expect(await quota.admit({ ...scope, limit: null }, ['+915'])).toEqual([true]);
    const usage = await quota.usage(scope);
    expect(usage).toMatchObject({ limit: 2, used: 2, remaining: 0, windowSeconds: 1 });
  });

  it('judges afresh a phone the rebuild found claimed but unconfirmed, and keeps counting one whose owner never asks', async () => {
    // As a rebuild leaves it: +951..+953 claimed by this batch, +954 by another worker's send under way.
    const key = keys.key('dispatch', 'quota', 's', senderId);
    const ahead = Date.now() + 60_000;
    await redis.zadd(key, ahead, '+951', ahead, '+952', ahead, '+953', ahead, '+954');
    await redis.sadd(`${key}:unconfirmed`, '+951', '+952', '+953', '+954');
    // Limit 2, one slot held by +954: of this batch's three, one fits.
    expect(await quota.admit(scope, ['+951', '+952', '+953'])).toEqual([true, false, false]);
    expect(await redis.zscore(key, '+952')).toBeNull();
    await quota.settle(scope, ['+954']);
    expect(await redis.sismember(`${key}:unconfirmed`, '+954')).toBe(0);
    expect(await quota.admit(scope, ['+952'])).toEqual([false]);
  });

  it('holds a slot while its send is under way and counts the window from the answer, not the admission', async () => {
    expect(await quota.admit(scope, ['+921', '+922'])).toEqual([true, true]);
    await sleep(1_200); // longer than the window, the sends still unanswered
    expect(await quota.admit(scope, ['+923'])).toEqual([false]);
    // Redis stamps the answer while settle is under way: no earlier than this (same host clock, ms).
    const settling = Date.now();
    await quota.settle(scope, ['+921', '+922']);
    const usage = await quota.usage(scope);
    expect(usage.nextFreeAt!.getTime()).toBeGreaterThanOrEqual(settling + 1_000 - 1);
    await sleep(600);
    expect(await quota.admit(scope, ['+923'])).toEqual([false]);
    await sleep(600);
    expect(await quota.admit(scope, ['+923'])).toEqual([true]);
  });

  it('settles even when the send throws', async () => {
    await expect(
      quota.settleAfter(scope, ['+931'], async () => {
        await quota.admit(scope, ['+931']);
        throw new Error('connection reset');
      }),
    ).rejects.toThrow('connection reset');
    await sleep(1_100);
    expect(await quota.admit(scope, ['+932', '+933'])).toEqual([true, true]);
  });

  it('reports a pending slot as freeing no sooner than a window from now', async () => {
    await quota.admit(scope, ['+941']);
    const usage = await quota.usage(scope);
    expect(usage.used).toBe(1);
    expect(usage.nextFreeAt!.getTime()).toBeGreaterThanOrEqual(Date.now() + 1_000 - 50);
    expect(usage.nextFreeAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1_000 + 50);
  });
});
