import { Module } from '@nestjs/common';
import { PricingModule } from '@clarion/pricing';
import { BroadcastStatsQuery } from './history/broadcast-stats.query';
import { ContactMessagesQuery } from './history/contact-messages.query';
import { DashboardQuery } from './history/dashboard.query';
import { HistoryQuery } from './history/history.query';
import { RecipientsQuery } from './history/recipients.query';
import { ReplyAttributor } from './ingest/reply-attributor';
import { StatusIngestService } from './ingest/status-ingest.service';
import { ReconciliationService } from './reconcile/reconciliation.service';
import { RepliesQuery } from './replies/replies.query';

/**
 * Statistics: folds webhook events into the ledger and counters, answers history and
 * drill-down queries, exports, and reconciles counters with the ledger.
 */
@Module({
  imports: [PricingModule],
  providers: [
    StatusIngestService,
    ReplyAttributor,
    RepliesQuery,
    ReconciliationService,
    HistoryQuery,
    BroadcastStatsQuery,
    RecipientsQuery,
    DashboardQuery,
    ContactMessagesQuery,
  ],
  exports: [
    StatusIngestService,
    RepliesQuery,
    ReconciliationService,
    HistoryQuery,
    BroadcastStatsQuery,
    RecipientsQuery,
    DashboardQuery,
    ContactMessagesQuery,
    PricingModule,
  ],
})
export class StatsModule {}
