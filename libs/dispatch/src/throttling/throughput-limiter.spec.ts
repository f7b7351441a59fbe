import type { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import { dataSourceOptions } from '@clarion/database';
import type { RedisKeys } from '@clarion/queue';
import { localMicros, RedisClock, ThroughputLimiter } from './throughput-limiter';

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

  it('books the slots that free within 150 ms for the moment they free, and never more than the cap', async () => {
    const key = keys.key('dispatch', 'tp', sender);
    let granted = 0;
    for (let i = 0; i < 20; i++) granted += (await limiter.acquire(sender, 20, 1)).granted;
    expect(granted).toBe(20);
    // Full, and the first slot frees in about a second: beyond the horizon, so refused with a wait.
    const refused = await limiter.acquire(sender, 20, 1);
    expect(refused.granted).toBe(0);
    expect(refused.waitMs).toBeGreaterThan(150);
    // Once the first grants are within 150 ms of leaving the window, their slots are booked.
    await new Promise((r) => setTimeout(r, Math.max(0, refused.waitMs - 100)));
    const booked = await limiter.acquire(sender, 20, 1);
    expect(booked.granted).toBe(1);
    expect(booked.startInMs).toBeGreaterThan(0);
    expect(booked.startInMs).toBeLessThanOrEqual(151);
    // The booking is scored at its slot's moment, after now; every window (1.002 s here) holds at most the cap.
    const t = await redis.time();
    const redisNow = Number(t[0]) * 1e6 + Number(t[1]);
    const raw = await redis.zrange(key, 0, -1, 'WITHSCORES');
    const entries = Array.from({ length: raw.length / 2 }, (_, i) => ({ n: Number(raw[2 * i].split(':')[1]), at: Number(raw[2 * i + 1]) }));
    expect(Math.max(...entries.map((e) => e.at))).toBeGreaterThan(redisNow);
    const inWindowEndingAt = (end: number) => entries.filter((e) => e.at > end - 1_002_000 && e.at <= end).reduce((n, e) => n + e.n, 0);
    expect(Math.max(...entries.map((e) => inWindowEndingAt(e.at)))).toBeLessThanOrEqual(20);
  });

  it('restamps a settled grant at its last answer, not when the settle call arrives', async () => {
    const key = keys.key('dispatch', 'tp', sender);
    const g = await limiter.acquire(sender, 20, 1);
    const grantedScore = Number(await redis.zscore(key, g.ref!));
    await new Promise((r) => setTimeout(r, 300));
    const answeredAt = localMicros();
    await new Promise((r) => setTimeout(r, 300));
    await limiter.settle(sender, g.ref!, answeredAt);
    const settled = Number(await redis.zscore(key, g.ref!));
    const t = await redis.time();
    const redisNow = Number(t[0]) * 1e6 + Number(t[1]);
    // Moved to the answer (≥ 300 ms after the grant), which is well before now (≥ 300 ms later).
    expect(settled - grantedScore).toBeGreaterThanOrEqual(290_000);
    expect(redisNow - settled).toBeGreaterThanOrEqual(290_000);
  });

  it('halves the rate on 130429, at most once a second, and lets it recover', async () => {
    expect(await limiter.slowDown(sender, 1_000)).toBe(500);
    expect(await limiter.slowDown(sender, 1_000)).toBeGreaterThanOrEqual(500);
    const g = await limiter.acquire(sender, 1_000, 1);
    expect(g.rate).toBeGreaterThanOrEqual(500);
    expect(g.rate).toBeLessThan(1_000);
  });
});

describe('RedisClock', () => {
  it('bounds the offset by the fastest round trip: upper for stamps, lower for waits', () => {
    const clock = new RedisClock();
    expect(clock.notEarlierThan(1_000)).toBeNull();
    // Redis runs 5,000 µs ahead; one slow call (taken 4,000 µs after sending) and one fast (100 µs).
    clock.observe(15_000 + 4_000, 10_000, 18_000);
    clock.observe(25_000 + 5_000, 25_000, 25_100);
    expect(clock.notEarlierThan(40_000)).toBe(40_000 + 5_000);
    expect(clock.notEarlierThan(40_000)!).toBeGreaterThanOrEqual(40_000 + 5_000);
    // Redis time 50,000 is surely past once local time is 50,000 - 4,900 (the true offset is ≥ 4,900).
    expect(clock.surelyPast(50_000)).toBe(50_000 - 4_900);
  });

  it('forgets samples older than 10 s', () => {
    const clock = new RedisClock();
    clock.observe(1_000, 0, 100); // offset bounds [900, 1,000]
    clock.observe(20_000_000 + 3_000, 20_000_000, 20_000_500); // [2,500, 3,000]
    expect(clock.notEarlierThan(0)).toBe(3_000);
    expect(clock.surelyPast(0)).toBe(-2_500);
  });
});

describe('ThroughputLimiter after Redis forgot its window (real Redis and MariaDB)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `${process.env.REDIS_PREFIX ?? 'clarion-test'}-limiter-seed-${process.pid}`;
  const keys = { key: (...parts: Array<string | number>) => [prefix, ...parts].join(':') } as RedisKeys;
  const config = { get: () => 2 } as unknown as ConfigService<Environment, true>;
  let db: DataSource;
  let limiter: ThroughputLimiter;
  let senderId: number;

  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(process.env.DATABASE_URL as string)).initialize();
    limiter = new ThroughputLimiter(redis, keys, config, db);
    const sender = await db.query(
      "INSERT INTO senders (name, api, phone_number_id, access_token_enc, throughput_mps) VALUES ('seed', 'cloud', 'pn-seed', '', 10)",
    );
    senderId = Number(sender.insertId);
    const broadcast = await db.query(
      `INSERT INTO broadcasts (name, sender_id, template_id, template_name, template_language, template_category, status)
       VALUES ('seed', ?, 0, 'hello_world', 'en_US', 'UTILITY', 'running')`,
      [senderId],
    );
    // Accepted "now" as far as the seed can tell (a minute ahead, so a slow machine cannot let them leave the window first).
    await db.query('INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, dispatch_state, accepted_at) VALUES ?', [
      Array.from({ length: 7 }, (_, i) => [
        Number(broadcast.insertId),
        i + 1,
        `+4915100001${i}`,
        'accepted',
        new Date(Date.now() + 60_000),
      ]),
    ]);
  });

  afterAll(async () => {
    const found = await redis.keys(`${prefix}:*`);
    if (found.length) await redis.del(...found);
    redis.disconnect();
    await db?.destroy();
  });

  const grantedOver = async (calls: number) => {
    let granted = 0;
    for (let i = 0; i < calls; i++) granted += (await limiter.acquire(senderId, 10, 10)).granted;
    return granted;
  };

  it('counts the sends MySQL shows accepted within the window before granting again', async () => {
    expect(await grantedOver(20)).toBe(3);
  });

  it('does not seed again a window that merely expired while the sender was idle', async () => {
    await redis.del(keys.key('dispatch', 'tp', senderId));
    expect(await grantedOver(20)).toBe(10);
  });
});
