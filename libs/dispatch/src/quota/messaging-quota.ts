import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import { REDIS, RedisKeys } from '@clarion/queue';

/**
 * Meta's messaging limit: unique recipients of business-initiated messages in a rolling window
 * (24 h; MESSAGING_WINDOW_SECONDS) per business portfolio (senders sharing `portfolio`, else the
 * sender alone). A Redis sorted set phone → send time (ms): a phone already in the window passes
 * without taking a slot; a new one only while the set is below the limit.
 *
 * The slot is taken on admission, before the send (so concurrent workers cannot overshoot), and is
 * then *pending*: scored one window ahead, so it cannot leave the window while the send is under
 * way. `settle` stamps it with the time WhatsApp's answer came, which is after WhatsApp took the
 * message; the window is counted from there. Counting from admission instead would free the slot
 * early by however long the send waited (limiter, retries, a slow first connection), and the next
 * window's messages could reach WhatsApp less than a window after this one's.
 */
/** The set outlives its newest slot (pending ones are scored a window ahead) by this much. */
const KEY_TTL_MARGIN_MS = 60_000;

const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// KEYS[2] marks the set as built from the ledger: without it (Redis restarted empty, or a scope
// never used) nothing is admitted, and the caller rebuilds the set first (-1). KEYS[3] holds the
// phones the rebuild found claimed: each holds a slot, but its owner may not have been admitted
// yet, so when it asks it is judged as a new phone, not waved through as one already messaged
// (the batch's own such phones are set aside first, so they compete only with the rest).
const ADMIT = `${NOW_MS}
if redis.call('EXISTS', KEYS[2]) == 0 then return {-1} end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('EXISTS', KEYS[3]) == 1 then
  for i = 3, #ARGV do
    if redis.call('SREM', KEYS[3], ARGV[i]) == 1 then redis.call('ZREM', KEYS[1], ARGV[i]) end
  end
end
local count = redis.call('ZCARD', KEYS[1])
local pending = now + window
local out = {}
for i = 3, #ARGV do
  local phone = ARGV[i]
  if redis.call('ZSCORE', KEYS[1], phone) then
    redis.call('ZADD', KEYS[1], pending, phone)
    out[#out + 1] = 1
  elseif count < limit then
    redis.call('ZADD', KEYS[1], pending, phone)
    count = count + 1
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
redis.call('PEXPIRE', KEYS[1], 2 * window + ${KEY_TTL_MARGIN_MS})
return out
`;

const SETTLE = `${NOW_MS}
local window = tonumber(ARGV[1])
local unconfirmed = redis.call('EXISTS', KEYS[2]) == 1
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now, ARGV[i])
  if unconfirmed then redis.call('SREM', KEYS[2], ARGV[i]) end
end
redis.call('PEXPIRE', KEYS[1], 2 * window + ${KEY_TTL_MARGIN_MS})
return now
`;

export interface QuotaScope {
  senderId: number;
  portfolio: string | null;
  /** null: unlimited. */
  limit: number | null;
}

export interface QuotaUsage {
  limit: number | null;
  used: number;
  remaining: number | null;
  /** When the oldest counted recipient leaves the window (a slot frees); null if none is counted. */
  nextFreeAt: Date | null;
  windowSeconds: number;
}

type QuotaRedis = Redis & {
  clarionAdmitRecipients(
    key: string,
    marker: string,
    unconfirmed: string,
    limit: number,
    windowMs: number,
    ...phones: string[]
  ): Promise<number[]>;
  clarionSettleRecipients(key: string, unconfirmed: string, windowMs: number, ...phones: string[]): Promise<number>;
};

@Injectable()
export class MessagingQuota {
  private readonly logger = new Logger(MessagingQuota.name);
  private readonly redis: QuotaRedis;
  readonly windowSeconds: number;
  private readonly rebuilding = new Map<string, Promise<void>>();

  constructor(
    @Inject(REDIS) redis: Redis,
    private readonly keys: RedisKeys,
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.windowSeconds = config.get('MESSAGING_WINDOW_SECONDS', { infer: true });
    if (!('clarionAdmitRecipients' in redis)) {
      redis.defineCommand('clarionAdmitRecipients', { numberOfKeys: 3, lua: ADMIT });
      redis.defineCommand('clarionSettleRecipients', { numberOfKeys: 2, lua: SETTLE });
    }
    this.redis = redis as QuotaRedis;
  }

  private key(scope: QuotaScope): string {
    return scope.portfolio
      ? this.keys.key('dispatch', 'quota', 'p', scope.portfolio)
      : this.keys.key('dispatch', 'quota', 's', scope.senderId);
  }

  /**
   * Which of `phones` may be messaged now (true) under the scope's limit; admitted ones take (or
   * refresh) a pending slot. Call `settle` with them once their sends are answered.
   */
  async admit(scope: QuotaScope, phones: string[]): Promise<boolean[]> {
    if (scope.limit === null || phones.length === 0) return phones.map(() => true);
    const key = this.key(scope);
    for (let attempt = 1; ; attempt++) {
      const flags = await this.redis.clarionAdmitRecipients(
        key,
        `${key}:built`,
        `${key}:unconfirmed`,
        scope.limit,
        this.windowMs,
        ...phones,
      );
      if (Number(flags[0]) !== -1) return flags.map((f) => Number(f) === 1);
      if (attempt >= 3) throw new Error(`messaging window ${key} could not be rebuilt from MySQL`);
      await this.rebuild(scope);
    }
  }

  /** The admitted `phones` were sent (or given up): their window starts now. */
  async settle(scope: QuotaScope, phones: string[]): Promise<void> {
    if (scope.limit === null || phones.length === 0) return;
    const key = this.key(scope);
    await this.redis.clarionSettleRecipients(key, `${key}:unconfirmed`, this.windowMs, ...phones);
  }

  /**
   * Runs `send` for admitted `phones` and settles them afterwards, whether it succeeds or throws.
   * A failed settle only leaves the slots pending (held longer: the safe side), so it never hides the send's result.
   */
  async settleAfter<T>(scope: QuotaScope, phones: string[], send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } finally {
      await this.settle(scope, phones).catch((error: Error) =>
        this.logger.warn({ senderId: scope.senderId, err: error.message }, 'messaging-limit slots left pending: settle failed'),
      );
    }
  }

  private get windowMs(): number {
    return this.windowSeconds * 1000;
  }

  async usage(scope: QuotaScope): Promise<QuotaUsage> {
    if (scope.limit === null) return { limit: null, used: 0, remaining: null, nextFreeAt: null, windowSeconds: this.windowSeconds };
    const key = this.key(scope);
    if (!(await this.redis.exists(`${key}:built`))) await this.rebuild(scope);
    const now = Date.now();
    const since = now - this.windowMs;
    const [used, oldest] = await Promise.all([
      this.redis.zcount(key, since, '+inf'),
      this.redis.zrangebyscore(key, since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1),
    ]);
    // A pending slot (scored ahead) frees a window after its send is answered: at the earliest, a window from now.
    const nextFreeAt = oldest.length === 2 ? new Date(Math.min(Number(oldest[1]), now) + this.windowMs) : null;
    return { limit: scope.limit, used, remaining: Math.max(0, scope.limit - used), nextFreeAt, windowSeconds: this.windowSeconds };
  }

  /** One rebuild per scope at a time in this process; others wait for it. */
  private rebuild(scope: QuotaScope): Promise<void> {
    const key = this.key(scope);
    let running = this.rebuilding.get(key);
    if (!running) {
      running = this.rebuildNow(scope).finally(() => this.rebuilding.delete(key));
      this.rebuilding.set(key, running);
    }
    return running;
  }

  /**
   * Redis lost the set (restart without persistence): rebuild it from the ledger, so the limit
   * still holds — every phone accepted within the window by the scope's senders, at its accepted
   * time, and every phone claimed right now as a pending slot (its send may be under way, or done
   * with the answer not yet written; or its owner is about to ask for it — in a scope never used,
   * always —, so it is also marked unconfirmed, and judged afresh when asked for). A marker key records that the set is built. Rebuilding twice
   * (two processes at once) is harmless: ZADD GT keeps the later time.
   */
  private async rebuildNow(scope: QuotaScope): Promise<void> {
    const key = this.key(scope);
    const senderFilter = scope.portfolio ? 'b.sender_id IN (SELECT id FROM senders WHERE portfolio = ?)' : 'b.sender_id = ?';
    const rows: Array<{ phone: string; last: Date }> = await this.db.query(
      `SELECT r.phone, MAX(r.accepted_at) AS last FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
       WHERE ${senderFilter} AND r.accepted_at >= NOW(3) - INTERVAL ? SECOND GROUP BY r.phone`,
      [scope.portfolio ?? scope.senderId, this.windowSeconds],
    );
    const claimed: Array<{ phone: string }> = await this.db.query(
      `SELECT DISTINCT r.phone FROM broadcasts b JOIN broadcast_recipients r ON r.broadcast_id = b.id AND r.dispatch_state = 'claimed'
       WHERE ${senderFilter} AND b.status IN ('running','paused','waiting_quota','cancelled')`,
      [scope.portfolio ?? scope.senderId],
    );
    const pipeline = this.redis.pipeline();
    const pendingScore = Date.now() + this.windowMs;
    const members: Array<string | number> = [];
    for (const r of rows) members.push(new Date(r.last).getTime(), r.phone);
    for (const r of claimed) members.push(pendingScore, r.phone);
    for (let i = 0; i < members.length; i += 2_000) pipeline.zadd(key, 'GT', ...members.slice(i, i + 2_000));
    if (members.length) pipeline.pexpire(key, 2 * this.windowMs + KEY_TTL_MARGIN_MS);
    const inWindow = new Set(rows.map((r) => r.phone));
    const unconfirmed = claimed.map((r) => r.phone).filter((phone) => !inWindow.has(phone));
    for (let i = 0; i < unconfirmed.length; i += 2_000) pipeline.sadd(`${key}:unconfirmed`, ...unconfirmed.slice(i, i + 2_000));
    if (unconfirmed.length) pipeline.pexpire(`${key}:unconfirmed`, 2 * this.windowMs + KEY_TTL_MARGIN_MS);
    pipeline.set(`${key}:built`, '1');
    const failed = (await pipeline.exec())?.find(([error]) => error);
    if (failed) throw failed[0];
    if (members.length)
      this.logger.warn({ scope: key, accepted: rows.length, claimed: claimed.length }, 'messaging window rebuilt from MySQL');
  }
}
