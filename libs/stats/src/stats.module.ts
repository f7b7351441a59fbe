import { Module } from '@nestjs/common';
import { BroadcastStatsQuery } from './history/broadcast-stats.query';
import { DashboardQuery } from './history/dashboard.query';
import { HistoryQuery } from './history/history.query';
import { RecipientsQuery } from './history/recipients.query';
import { ReplyAttributor } from './ingest/reply-attributor';
import { StatusIngestService } from './ingest/status-ingest.service';
import { PriceTable } from './pricing/price-table';
import { ReconciliationService } from './reconcile/reconciliation.service';
import { RepliesQuery } from './replies/replies.query';

/**
 * Statistics: folds webhook events into the ledger and counters, answers history and
 * drill-down queries, exports, and reconciles counters with the ledger.
 */
@Module({
  providers: [
    StatusIngestService,
    ReplyAttributor,
    PriceTable,
    RepliesQuery,
    ReconciliationService,
    HistoryQuery,
    BroadcastStatsQuery,
    RecipientsQuery,
    DashboardQuery,
  ],
  exports: [
    StatusIngestService,
    RepliesQuery,
    ReconciliationService,
    PriceTable,
    HistoryQuery,
    BroadcastStatsQuery,
    RecipientsQuery,
    DashboardQuery,
  ],
})
export class StatsModule {}
