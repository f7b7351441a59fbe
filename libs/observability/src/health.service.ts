import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS, RedisKeys } from '@clarion/queue';

export interface HealthReport {
  status: 'ok' | 'degraded';
  mysql: 'up' | 'down';
  redis: 'up' | 'down';
  workers: number;
}

const HEARTBEAT_TTL_SECONDS = 15;

/** Readiness of this process's dependencies, and how many workers have checked in lately. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async check(): Promise<HealthReport> {
    const [mysql, redis] = await Promise.all([
      this.db.query('SELECT 1').then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      this.redis.ping().then(
        () => 'up' as const,
        () => 'down' as const,
      ),
    ]);
    const workers = redis === 'up' ? await this.countWorkers() : 0;
    return { status: mysql === 'up' && redis === 'up' ? 'ok' : 'degraded', mysql, redis, workers };
  }

  /** Called by each worker every few seconds; the key expires when the worker dies. */
  async heartbeat(workerId: string): Promise<void> {
    await this.redis.set(this.keys.key('workers', workerId), Date.now().toString(), 'EX', HEARTBEAT_TTL_SECONDS);
  }

  private async countWorkers(): Promise<number> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.keys.key('workers', '*'), 'COUNT', 100);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  }
}
