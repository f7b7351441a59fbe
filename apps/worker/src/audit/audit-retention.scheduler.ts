import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuditLogRepository } from '@clarion/audit';
import type { Environment } from '@clarion/config';
import { JobLock } from '@clarion/queue';

const PRUNE_EVERY_MS = 3_600_000;

/** Deletes audit rows older than AUDIT_RETENTION_DAYS, hourly, on one worker at a time. */
@Injectable()
export class AuditRetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditRetentionScheduler.name);
  private stopped = false;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly registry: SchedulerRegistry,
    private readonly log: AuditLogRepository,
    private readonly lock: JobLock,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      'audit-retention',
      setInterval(() => void this.prune(), PRUNE_EVERY_MS),
    );
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** Returns how many rows went (undefined when another worker held the lock). */
  async prune(): Promise<number | undefined> {
    if (this.stopped) return undefined;
    try {
      const days = this.config.get('AUDIT_RETENTION_DAYS', { infer: true });
      const removed = await this.lock.runExclusive('audit-retention', 10 * 60_000, () => this.log.prune(days));
      if (removed) this.logger.log({ removed, days }, 'audit log pruned');
      return removed;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'audit log pruning failed; the next firing retries');
      return undefined;
    }
  }
}
