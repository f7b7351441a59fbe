import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type Redis from 'ioredis';
import type { RedisKeys } from '@clarion/queue';

const DECREMENT_IF_POSITIVE = `if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end return 0`;

/**
 * The throttler's Redis storage on Clarion's shared client, every key under REDIS_PREFIX
 * (`<prefix>:throttle:…`) like the rest of Clarion's keys, so installs and test runs sharing a
 * Redis never share counters.
 */
export class RedisThrottlerStorage extends ThrottlerStorageRedisService {
  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    super(redis);
  }

  override increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    return super.increment(this.keys.key('throttle', key), ttl, limit, blockDuration, throttlerName);
  }

  /**
   * Takes back one hit (never below zero, never creating the counter). Works on the hits key
   * the library's increment script keeps: `{key:name}:hits`.
   */
  async decrement(key: string, throttlerName: string): Promise<void> {
    await this.redis.eval(DECREMENT_IF_POSITIVE, 1, `{${this.keys.key('throttle', key)}:${throttlerName}}:hits`);
  }
}
