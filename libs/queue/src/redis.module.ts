import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { Environment } from '@clarion/config';
import { redisOptionsFromUrl } from './redis-options';

export const REDIS = Symbol('REDIS');

/** Namespaces Redis keys so that several Clarion installs or test runs can share one Redis. */
@Injectable()
export class RedisKeys {
  readonly prefix: string;

  constructor(config: ConfigService<Environment, true>) {
    this.prefix = config.get('REDIS_PREFIX', { infer: true });
  }

  key(...parts: Array<string | number>): string {
    return [this.prefix, ...parts].join(':');
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis client for limiters, counters and locks (`@Inject(REDIS)`). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new Redis({
          ...redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })),
          maxRetriesPerRequest: 3,
          enableAutoPipelining: true,
        }),
    },
    RedisKeys,
    RedisCloser,
  ],
  exports: [REDIS, RedisKeys],
})
export class RedisModule {}
