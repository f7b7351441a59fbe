import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type Redis from 'ioredis';
import type { RedisKeys } from '@clarion/queue';

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
   * Milliseconds left of a block on this key (0 when not blocked), without counting a hit.
   * Reads the block key that the library's increment script sets: `{key:name}:blocked`.
   */
  async blockedForMs(key: string, throttlerName: string): Promise<number> {
    const left = await this.redis.pttl(`{${this.keys.key('throttle', key)}:${throttlerName}}:blocked`);
    return left > 0 ? left : 0;
  }
}
