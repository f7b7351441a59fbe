import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, RedisKeys } from '@clarion/queue';

const SPAN_SECONDS = 5;

/** Messages accepted per second per broadcast (Redis hash of one-second buckets, shared by workers): the API's current rate and ETA. */
@Injectable()
export class ProgressMeter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async record(broadcastId: number, accepted: number): Promise<void> {
    if (accepted <= 0) return;
    const key = this.keys.key('dispatch', 'progress', broadcastId);
    await this.redis
      .pipeline()
      .hincrby(key, String(Math.floor(Date.now() / 1000)), accepted)
      .pexpire(key, 60_000)
      .exec();
  }

  /** Average over the last complete seconds (0 when idle). */
  async ratePerSecond(broadcastId: number): Promise<number> {
    const now = Math.floor(Date.now() / 1000);
    const fields = Array.from({ length: SPAN_SECONDS }, (_, i) => String(now - 1 - i));
    const values = await this.redis.hmget(this.keys.key('dispatch', 'progress', broadcastId), ...fields);
    const sum = values.reduce((s, v) => s + Number(v ?? 0), 0);
    return Math.round((sum / SPAN_SECONDS) * 10) / 10;
  }
}
