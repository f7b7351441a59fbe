import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import { REDIS, RedisKeys } from '@clarion/queue';

/**
 * Grants send tokens for a sender from one limiter shared by every worker process (Redis, Lua).
 *
 * The cap holds over a sliding window of grant times (a sorted set of `seq:count` members scored
 * by Redis TIME in µs): a grant is made only while the counts granted in the last window sum to
 * less than the sender's effective rate. Once a grant's requests are answered it is restamped at
 * that moment (`settle`): its messages reached WhatsApp before then, so no slot is reused until a
 * full second after the previous message in it was received — the cap holds as measured at the
 * receiving end, whatever the jitter. The window is 1 s plus a small margin for clock granularity.
 *
 * Tokens come in small batches (at most cap/20 per call) so that several processes interleave and
 * one call serves many messages. The effective rate is the cap, lowered after 130429 (AIMD:
 * halved, then recovering by 5 % of the cap per second) — kept in Redis, so all processes slow down together.
 *
 * Holding each slot for a round trip costs throughput in proportion to the round trip, so a slot is
 * held no longer than the cap needs:
 * - Booked grants: when the window is full but slots free within the next 150 ms, tokens are
 *   granted for the moment they free (scored at that moment, which may be in the future) and the
 *   caller fires them no earlier. A slot is then reused the moment it frees, not one Redis round
 *   trip (and a timer) after a refused caller comes back for it.
 * - Settled at the answer's time: the restamp is the moment the last answer came in on the
 *   worker's clock, translated to Redis time by an upper bound of the clocks' offset (the fastest
 *   recent round trip), not the moment the settle call reaches Redis.
 * Both read Redis TIME through {@link RedisClock}: booked sends wait until Redis time is surely past
 * the booking, settled stamps are surely no earlier than the answer.
 */
const ACQUIRE = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
if redis.call('EXISTS', KEYS[4]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0, 0} end
  redis.call('SET', KEYS[4], '1')
end
local cap = tonumber(ARGV[1])
local rate = cap
local aimd = redis.call('HMGET', KEYS[3], 'rate', 'at')
if aimd[1] then
  local r = tonumber(aimd[1]) + (now - tonumber(aimd[2])) / 1000000 * cap * tonumber(ARGV[5])
  if r >= cap then redis.call('DEL', KEYS[3]) else rate = r end
end
local limit = math.max(1, math.floor(rate))
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local used = 0
for i = 1, #entries, 2 do used = used + tonumber(string.match(entries[i], ':(%d+)$')) end
local want = math.min(tonumber(ARGV[2]), tonumber(ARGV[4]))
local free = limit - used
local stamp = string.format('%.0f', now)
if free > 0 then
  local grant = math.min(want, free)
  local seq = redis.call('INCR', KEYS[2])
  redis.call('ZADD', KEYS[1], now, seq .. ':' .. grant)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return {grant, 0, limit, seq .. ':' .. grant, stamp, stamp}
end
-- Full: the earliest moment enough slots free is a window after the entry that frees them. Within
-- the horizon the grant is booked for that moment: every window that holds it lies after it, so
-- it sees only the entries scored after that one (booked ones included), and they leave room.
local need = math.min(want, limit) - free
local freed = 0
for i = 1, #entries, 2 do
  freed = freed + tonumber(string.match(entries[i], ':(%d+)$'))
  if freed >= need then
    local at = tonumber(entries[i + 1]) + window
    if at - now <= tonumber(ARGV[6]) then
      local grant = math.min(want, limit)
      local seq = redis.call('INCR', KEYS[2])
      redis.call('ZADD', KEYS[1], at, seq .. ':' .. grant)
      redis.call('PEXPIRE', KEYS[1], math.ceil((window + at - now) / 1000) + 1000)
      return {grant, 0, limit, seq .. ':' .. grant, stamp, string.format('%.0f', at)}
    end
    return {0, math.max(1, math.ceil((at - now) / 1000)), limit, false, stamp}
  end
end
return {0, 1, limit, false, stamp}
`;

// seed: Redis came back empty; the sends MySQL shows accepted within the last window count as
// granted now (a full window from now: the safe side), before any new grant.
const SEED = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local n = tonumber(ARGV[1])
if n > 0 then
  redis.call('ZADD', KEYS[1], now, 'seed:' .. n)
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000) + 1000)
end
redis.call('SET', KEYS[2], '1')
return n
`;

const SLOW_DOWN = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local cap = tonumber(ARGV[1])
local rate = cap
local aimd = redis.call('HMGET', KEYS[1], 'rate', 'at', 'cut')
if aimd[1] then rate = math.min(cap, tonumber(aimd[1]) + (now - tonumber(aimd[2])) / 1000000 * cap * tonumber(ARGV[3])) end
if aimd[3] and now - tonumber(aimd[3]) < 1000000 then return tostring(rate) end
rate = math.max(1, rate * tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'at', tostring(now), 'cut', tostring(now))
redis.call('PEXPIRE', KEYS[1], 600000)
return tostring(rate)
`;

// settle: the grant's requests were answered, so they reached WhatsApp before the last answer came
// in (ARGV[3], Redis time, an upper bound; 0 if unknown) and surely before now: restamp it then
// (never earlier than its score), re-adding it if it had already left the window.
const SETTLE = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local answered = tonumber(ARGV[3])
if answered > 0 and answered < now then now = answered end
redis.call('ZADD', KEYS[1], 'GT', now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000) + 1000)
return 1
`;

/** Halving on 130429, at most once a second (a burst of refusals is one signal). */
const DECREASE_FACTOR = 0.5;
/** Recovery per second, as a fraction of the cap: half the cap back in 10 s. */
const RECOVERY_PER_SECOND = 0.05;
/** How far ahead a full window's slots may be booked (see above). */
const BOOKING_HORIZON_US = 150_000;

/** The worker's clock in µs: monotonic (performance.now), so a wall-clock step cannot bend it. */
export const localMicros = (): number => (performance.timeOrigin + performance.now()) * 1_000;

/**
 * Redis TIME minus the local clock, bounded from the round trips of recent calls: a reply's Redis
 * time was taken between the call's sending and its answer, so `redis - sentAt` bounds the offset
 * from above and `redis - answeredAt` from below; the tightest bounds of the last 10 s are kept
 * (the fastest round trips), which follows any drift between the clocks.
 */
export class RedisClock {
  private samples: Array<{ at: number; upper: number; lower: number }> = [];

  observe(redisMicros: number, sentAt: number, answeredAt: number): void {
    this.samples.push({ at: answeredAt, upper: redisMicros - sentAt, lower: redisMicros - answeredAt });
    const since = answeredAt - 10_000_000;
    if (this.samples.length > 64 || this.samples[0].at < since) this.samples = this.samples.filter((x) => x.at >= since).slice(-64);
  }

  /** A Redis time no earlier than the local moment `local` (µs); null before any call. */
  notEarlierThan(local: number): number | null {
    if (this.samples.length === 0) return null;
    return local + Math.min(...this.samples.map((x) => x.upper));
  }

  /** The local moment (µs) after which Redis time is surely past `redisMicros`; null before any call. */
  surelyPast(redisMicros: number): number | null {
    if (this.samples.length === 0) return null;
    return redisMicros - Math.max(...this.samples.map((x) => x.lower));
  }
}

export interface Grant {
  granted: number;
  /** The grant's entry in the window; pass it to `settle` once its requests are answered. */
  ref: string | null;
  /** When nothing was granted: how long until tokens free up. */
  waitMs: number;
  /**
   * A booked grant's tokens may be fired only after this long (ms from the grant's return): the
   * moment their slots free, on the worker's clock, rounded up. 0 for tokens free now.
   */
  startInMs: number;
  /** The effective rate used (the cap, or less after 130429). */
  rate: number;
}

type LimiterRedis = Redis & {
  clarionAcquireTokens(
    k1: string,
    k2: string,
    k3: string,
    k4: string,
    cap: number,
    want: number,
    windowUs: number,
    maxGrant: number,
    recovery: number,
    horizonUs: number,
  ): Promise<[number, number, number, (string | null)?, string?, string?]>;
  clarionSlowDown(k1: string, cap: number, factor: number, recovery: number): Promise<string>;
  clarionSettleGrant(k1: string, ref: string, windowUs: number, answeredUs: string): Promise<number>;
  clarionSeedWindow(k1: string, k2: string, count: number, windowUs: number): Promise<number>;
};

@Injectable()
export class ThroughputLimiter {
  private readonly redis: LimiterRedis;
  private readonly windowUs: number;
  private readonly clock = new RedisClock();

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    config: ConfigService<Environment, true>,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.windowUs = (1_000 + config.get('DISPATCH_WINDOW_MARGIN_MS', { infer: true })) * 1_000;
    if (!('clarionSeedWindow' in redis)) {
      redis.defineCommand('clarionAcquireTokens', { numberOfKeys: 4, lua: ACQUIRE });
      redis.defineCommand('clarionSlowDown', { numberOfKeys: 1, lua: SLOW_DOWN });
      redis.defineCommand('clarionSettleGrant', { numberOfKeys: 1, lua: SETTLE });
      redis.defineCommand('clarionSeedWindow', { numberOfKeys: 2, lua: SEED });
    }
    this.redis = redis as LimiterRedis;
  }

  /** Up to `want` tokens for `senderId` under `capMps` (maybe fewer; 0 with a wait). */
  async acquire(senderId: number, capMps: number, want: number): Promise<Grant> {
    const maxGrant = Math.max(1, Math.floor(capMps / 20));
    const window = this.keys.key('dispatch', 'tp', senderId);
    const seeded = this.keys.key('dispatch', 'tp', senderId, 'seeded');
    for (let attempt = 1; ; attempt++) {
      const sentAt = localMicros();
      const [granted, waitMs, rate, ref, redisNow, startAt] = await this.redis.clarionAcquireTokens(
        window,
        this.keys.key('dispatch', 'tp', senderId, 'seq'),
        this.keys.key('dispatch', 'aimd', senderId),
        seeded,
        capMps,
        want,
        this.windowUs,
        maxGrant,
        RECOVERY_PER_SECOND,
        BOOKING_HORIZON_US,
      );
      if (Number(granted) !== -1) return this.grantOf(granted, waitMs, rate, ref, redisNow, startAt, sentAt);
      if (attempt >= 3) throw new Error(`throughput window of sender ${senderId} could not be seeded from MySQL`);
      await this.seed(senderId, window, seeded);
    }
  }

  /**
   * Redis forgot the sender's window (restarted empty; a marker key tells that from a window that
   * merely expired while idle): what MySQL shows accepted within the last window is counted as
   * granted now, so the first second after a restart cannot add a full cap on top of it.
   */
  private async seed(senderId: number, window: string, seeded: string): Promise<void> {
    const rows: Array<{ n: string | number }> = await this.db.query(
      `SELECT COUNT(*) AS n FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = b.id AND r.dispatch_state = 'accepted'
       WHERE b.sender_id = ? AND b.status IN ('running','paused','waiting_quota')
         AND r.accepted_at >= NOW(3) - INTERVAL ? MICROSECOND`,
      [senderId, this.windowUs],
    );
    await this.redis.clarionSeedWindow(window, seeded, Number(rows[0]?.n ?? 0), this.windowUs);
  }

  /** The reply of ACQUIRE as a Grant; its Redis time feeds the clock, and a booked grant's start is read on it. */
  private grantOf(
    granted: number,
    waitMs: number,
    rate: number,
    ref: string | null | undefined,
    redisNow: string | undefined,
    startAt: string | undefined,
    sentAt: number,
  ): Grant {
    const answeredAt = localMicros();
    if (redisNow) this.clock.observe(Number(redisNow), sentAt, answeredAt);
    let startInMs = 0;
    if (startAt && redisNow && startAt !== redisNow) {
      const localStart = this.clock.surelyPast(Number(startAt)) ?? answeredAt + (Number(startAt) - Number(redisNow));
      startInMs = Math.max(0, Math.ceil((localStart - localMicros()) / 1_000));
    }
    return { granted: Number(granted), waitMs: Number(waitMs), rate: Number(rate), ref: ref ?? null, startInMs };
  }

  /**
   * The requests of a grant were answered: each reached WhatsApp at some moment between the grant
   * and its answer, so the grant is restamped at the last answer (`answeredAt`, the worker's clock
   * from {@link localMicros}, translated to no earlier a Redis time; at the settle call's arrival
   * when not given). A slot is then reused only a full window after its previous message was surely
   * received — the cap holds at the receiving end whatever the delay between grant and arrival (a
   * stalled process, a slow network), at the cost of holding each slot for one round trip longer.
   */
  async settle(senderId: number, ref: string, answeredAt?: number): Promise<void> {
    const answered = answeredAt === undefined ? null : this.clock.notEarlierThan(answeredAt);
    await this.redis.clarionSettleGrant(
      this.keys.key('dispatch', 'tp', senderId),
      ref,
      this.windowUs,
      answered === null ? '0' : answered.toFixed(0),
    );
  }

  /** Meta said 130429 (throughput exceeded): halve the sender's rate for every process. Returns the new rate. */
  async slowDown(senderId: number, capMps: number): Promise<number> {
    return Number(
      await this.redis.clarionSlowDown(this.keys.key('dispatch', 'aimd', senderId), capMps, DECREASE_FACTOR, RECOVERY_PER_SECOND),
    );
  }
}
