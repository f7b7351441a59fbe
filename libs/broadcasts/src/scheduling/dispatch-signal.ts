import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, RedisKeys } from '@clarion/queue';

/**
 * Wakes the dispatch loops of every worker at once (Redis pub/sub) when a broadcast gets work
 * or changes state. Only a latency shortcut: the loops also poll MySQL, so a lost message
 * delays by a fraction of a second and loses nothing.
 */
@Injectable()
export class DispatchSignal {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  get channel(): string {
    return this.keys.key('dispatch', 'nudge');
  }

  /** Tells every worker that `broadcastId` has something new (recipients, or a state change). */
  async nudge(broadcastId: number): Promise<void> {
    await this.redis.publish(this.channel, String(broadcastId));
  }
}
