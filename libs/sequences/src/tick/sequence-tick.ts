import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@clarion/observability';
import { REDIS, RedisKeys } from '@clarion/queue';
import { SequenceSheets } from '../enrollment/sequence-sheets.service';
import { DueStepEnqueuer, EnqueueResult } from './due-step-enqueuer';
import { TickLock } from './tick-lock';

const firings = new Counter({
  name: 'clarion_sequence_tick_firings_total',
  help: 'Sequence tick firings this process won',
  registers: [metricsRegistry],
});
const stepsEnqueued = new Counter({
  name: 'clarion_sequence_steps_enqueued_total',
  help: 'Sequence steps handed to dispatch',
  registers: [metricsRegistry],
});

/** One firing as recorded in Redis (the last 200), for operators and the one-firing test. */
export interface TickFiring extends EnqueueResult {
  worker: string;
  slot: number;
  startedAt: number;
  endedAt: number;
}

const FIRING_LOG_LENGTH = 200;

/**
 * The sequences tick: whichever worker wins this interval's slot enqueues what is due.
 * Call `fire()` every interval from every worker; at most one of them does the work.
 */
@Injectable()
export class SequenceTick {
  private readonly logger = new Logger(SequenceTick.name);

  constructor(
    private readonly lock: TickLock,
    private readonly enqueuer: DueStepEnqueuer,
    private readonly sheets: SequenceSheets,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Returns the firing when this worker won it, null when another one did (or one still runs). */
  async fire(worker: string, intervalMs: number): Promise<TickFiring | null> {
    const startedAt = Date.now();
    const lease = await this.lock.acquire('sequences', intervalMs, startedAt);
    if (!lease) return null;
    try {
      await this.sheets.enrolFinishedImports();
      const result = await this.enqueuer.enqueueDue(new Date(startedAt), () => lease.extend());
      const firing: TickFiring = { worker, slot: lease.slot, startedAt, endedAt: Date.now(), ...result };
      firings.inc();
      stepsEnqueued.inc(result.enqueued);
      await this.redis
        .multi()
        .lpush(this.firingLogKey(), JSON.stringify(firing))
        .ltrim(this.firingLogKey(), 0, FIRING_LOG_LENGTH - 1)
        .exec();
      if (result.enqueued + result.stopped + result.postponed > 0) this.logger.log({ ...firing }, 'sequence steps enqueued');
      return firing;
    } finally {
      await lease.release();
    }
  }

  /** The most recent firings across all workers, newest first. */
  async recentFirings(): Promise<TickFiring[]> {
    const rows = await this.redis.lrange(this.firingLogKey(), 0, FIRING_LOG_LENGTH - 1);
    return rows.map((r) => JSON.parse(r) as TickFiring);
  }

  private firingLogKey(): string {
    return this.keys.key('tick', 'sequences', 'firings');
  }
}
