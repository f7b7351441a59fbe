export * from './queue-names';
export * from './redis-options';
export * from './redis.module';
export * from './queue.module';
