import { Module } from '@nestjs/common';
import { StatusIngestService } from './ingest/status-ingest.service';
import { ReplyAttributor } from './ingest/reply-attributor';
import { PriceTable } from './pricing/price-table';
import { ReconciliationService } from './reconcile/reconciliation.service';
import { RepliesQuery } from './replies/replies.query';

/**
 * Statistics: folds webhook events into the ledger and counters, answers history and
 * drill-down queries, exports, and reconciles counters with the ledger.
 */
@Module({
  providers: [StatusIngestService, ReplyAttributor, PriceTable, RepliesQuery, ReconciliationService],
  exports: [StatusIngestService, RepliesQuery, ReconciliationService, PriceTable],
})
export class StatsModule {}
