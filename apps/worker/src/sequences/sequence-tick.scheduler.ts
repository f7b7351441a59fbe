import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import type { Environment } from '@clarion/config';
import { SequenceTick } from '@clarion/sequences';

const INTERVAL_NAME = 'sequence-tick';

/**
 * Fires the sequences tick every SEQUENCE_TICK_MS in every worker; the tick's slot lock lets one
 * of them do the work per interval. A firing still running here skips the next interval.
 */
@Injectable()
export class SequenceTickScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SequenceTickScheduler.name);
  private readonly worker = `${hostname()}:${process.pid}`;
  private readonly intervalMs: number;
  private running: Promise<void> | null = null;

  constructor(
    private readonly tick: SequenceTick,
    private readonly registry: SchedulerRegistry,
    config: ConfigService<Environment, true>,
  ) {
    this.intervalMs = config.get('SEQUENCE_TICK_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      INTERVAL_NAME,
      setInterval(() => void this.fire(), this.intervalMs),
    );
  }

  /** Stops firing and lets a firing in progress finish before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  private fire(): void {
    if (this.running) return;
    this.running = this.tick
      .fire(this.worker, this.intervalMs)
      .then(
        () => undefined,
        (error: Error) => this.logger.error({ error: error.message }, 'sequence tick failed; the next one retries'),
      )
      .finally(() => (this.running = null));
  }
}
