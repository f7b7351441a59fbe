export * from './price-table';
export * from './pricing.module';
export * from './rate-card';
