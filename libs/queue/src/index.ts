export * from './queue-names';
export * from './redis-options';
export * from './redis.module';
export * from './job-lock';
export * from './queue.module';
