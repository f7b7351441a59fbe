import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import { ReconciliationService, StatusIngestService } from '@clarion/stats';
import { JobLock } from '@clarion/queue';

/** Broadcasts touched within this long are recounted by the scheduled reconciliation. */
const RECONCILE_ACTIVE_WITHIN_MS = 6 * 3_600_000;

/**
 * The statistics ticks: the reconciliation job (cron) and the sweep that applies parked statuses
 * and retries reply attribution (interval). Each takes a Redis lock first, so one worker fires.
 */
@Injectable()
export class StatsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatsScheduler.name);
  private stopped = false;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly registry: SchedulerRegistry,
    private readonly lock: JobLock,
    private readonly ingest: StatusIngestService,
    private readonly reconciliation: ReconciliationService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.get('STATS_RECONCILE_CRON', { infer: true }),
      onTick: () => void this.reconcile(),
      start: true,
    });
    this.registry.addCronJob('stats-reconcile', job as never);
    const interval = setInterval(() => void this.sweep(), this.config.get('STATS_SWEEP_INTERVAL_MS', { infer: true }));
    this.registry.addInterval('stats-sweep', interval);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** Recounts active broadcasts from the ledger and repairs drift. */
  async reconcile(): Promise<void> {
    if (this.stopped) return;
    try {
      const report = await this.lock.runExclusive('stats-reconcile', 10 * 60_000, () =>
        this.reconciliation.reconcileRecent(RECONCILE_ACTIVE_WITHIN_MS),
      );
      if (report) this.logger.log({ broadcasts: report.broadcasts, fixes: report.fixes.length }, 'statistics reconciled');
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'statistics reconciliation failed; next firing retries');
    }
  }

  /** Applies parked statuses whose wamid is now known and retries unattributed replies. */
  async sweep(): Promise<void> {
    if (this.stopped || !this.db.isInitialized) return;
    try {
      await this.lock.runExclusive('stats-sweep', 60_000, async () => {
        let applied = 0;
        for (let n = await this.ingest.applyParked(); n > 0 && !this.stopped; n = await this.ingest.applyParked()) applied += n;
        const attributed = await this.ingest.attributePendingReplies();
        if (applied || attributed) this.logger.log({ applied, attributed }, 'statistics sweep');
      });
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'statistics sweep failed; next firing retries');
    }
  }
}
