export * from './redis-throttler-storage';
export * from './failure-limiter';
export * from './principal-throttler.guard';
export * from './rate-limits.module';
