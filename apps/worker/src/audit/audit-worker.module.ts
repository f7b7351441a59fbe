import { Module } from '@nestjs/common';
import { AuditModule } from '@clarion/audit';
import { JobLock } from '@clarion/queue';
import { AuditRetentionScheduler } from './audit-retention.scheduler';

/** The worker's share of the audit log: its retention. */
@Module({
  imports: [AuditModule],
  providers: [JobLock, AuditRetentionScheduler],
})
export class AuditWorkerModule {}
