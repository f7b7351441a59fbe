import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ClarionConfigModule } from '@clarion/config';
import { ContactsModule } from '@clarion/contacts';
import { DatabaseModule } from '@clarion/database';
import { LoggingModule, ObservabilityModule } from '@clarion/observability';
import { QueueModule } from '@clarion/queue';
import { BroadcastsWorkerModule } from './broadcasts/broadcasts-worker.module';
import { DispatchWorkerModule } from './dispatch/dispatch-worker.module';
import { ImportsWorkerModule } from './imports/imports-worker.module';
import { StatsWorkerModule } from './stats/stats-worker.module';
import { SequencesWorkerModule } from './sequences/sequences-worker.module';
import { WebhooksWorkerModule } from './webhooks/webhooks-worker.module';
import { OutboundWebhooksWorkerModule } from './outbound-webhooks/outbound-webhooks-worker.module';
import { AuditWorkerModule } from './audit/audit-worker.module';

/** Queue processors and scheduler ticks; no HTTP besides the optional health port. */
@Module({
  imports: [
    ClarionConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    ObservabilityModule,
    ScheduleModule.forRoot(),
    ContactsModule,
    ImportsWorkerModule,
    StatsWorkerModule,
    SequencesWorkerModule,
    BroadcastsWorkerModule,
    DispatchWorkerModule,
    WebhooksWorkerModule,
    OutboundWebhooksWorkerModule,
    AuditWorkerModule,
  ],
})
export class WorkerModule {}
