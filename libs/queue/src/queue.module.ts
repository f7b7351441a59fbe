import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { redisOptionsFromUrl } from './redis-options';
import { RedisModule } from './redis.module';

/**
 * Bull's Redis connection and key prefix. Each capability registers its own queues with
 * `BullModule.registerQueue({ name: QueueName.X })`; producers live in libs, consumers
 * (processors) are provided only by the worker app.
 */
@Module({
  imports: [
    RedisModule,
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        redis: redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })),
        prefix: `${config.get('REDIS_PREFIX', { infer: true })}:bull`,
      }),
    }),
  ],
  exports: [RedisModule],
})
export class QueueModule {}
