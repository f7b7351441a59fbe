import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { REDIS, RedisKeys } from '@clarion/queue';

/**
 * Takes the tick's slot, then the running lock, atomically. The slot key (one per interval,
 * never released) makes each interval fire once across every replica; the running lock (a token
 * with an expiry, released by its owner only) keeps a long firing from overlapping the next.
 */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[3]) then return 1 end
end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A held firing: extend it while working, release it when done. */
export interface TickLease {
  readonly token: string;
  readonly slot: number;
  /** False when the lease was lost (expired and taken): stop working. */
  extend(): Promise<boolean>;
  release(): Promise<void>;
}

@Injectable()
export class TickLock {
  /** How long a firing may run without extending before another replica may take over. */
  static readonly LEASE_MS = 30_000;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** The lease for this interval's slot, or null when another replica has it or a firing is still running. */
  async acquire(name: string, intervalMs: number, now = Date.now()): Promise<TickLease | null> {
    const slot = Math.floor(now / intervalMs);
    const token = randomBytes(8).toString('hex');
    const running = this.keys.key('tick', name, 'running');
    const got = await this.redis.eval(
      ACQUIRE,
      2,
      this.keys.key('tick', name, 'slot', slot),
      running,
      token,
      Math.max(intervalMs * 5, 10_000),
      TickLock.LEASE_MS,
    );
    if (Number(got) !== 1) return null;
    return {
      token,
      slot,
      extend: async () => Number(await this.redis.eval(EXTEND, 1, running, token, TickLock.LEASE_MS)) === 1,
      release: async () => {
        await this.redis.eval(RELEASE, 1, running, token);
      },
    };
  }
}
