export * from './stats.module';
export * from './ingest/status-ingest.service';
export * from './ingest/callback-data';
export { toE164 } from './ingest/reply-attributor';
export * from './pricing/price-table';
export * from './replies/replies.query';
export * from './reconcile/reconciliation.service';
export * from './rates';
