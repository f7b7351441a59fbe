import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { Environment } from '@clarion/config';
import { REDIS, RedisKeys } from '@clarion/queue';
import { FailureLimiter } from './failure-limiter';
import { PrincipalThrottlerGuard } from './principal-throttler.guard';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** Request and failure limits, counted in Redis under REDIS_PREFIX (needs the global RedisModule). */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService, REDIS, RedisKeys],
      useFactory: (config: ConfigService<Environment, true>, redis: Redis, keys: RedisKeys) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.get('RATE_LIMIT_REQUESTS_PER_MINUTE', { infer: true }) }],
        storage: new RedisThrottlerStorage(redis, keys),
      }),
    }),
  ],
  providers: [FailureLimiter, PrincipalThrottlerGuard],
  exports: [FailureLimiter, PrincipalThrottlerGuard],
})
export class RateLimitsModule {}
