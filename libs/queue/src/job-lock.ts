import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { REDIS, RedisKeys } from './redis.module';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A Redis lock so that a scheduled job fires on one worker at a time however many run. The
 * expiry frees it if its holder dies; only the holder's token releases it.
 */
@Injectable()
export class JobLock {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Runs `work` if the lock `name` is free; returns undefined when another worker holds it. */
  async runExclusive<T>(name: string, ttlMs: number, work: () => Promise<T>): Promise<T | undefined> {
    const key = this.keys.key('lock', name);
    const token = randomBytes(8).toString('hex');
    if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
