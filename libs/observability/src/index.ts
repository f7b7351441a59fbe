export * from './logging.module';
export * from './metrics';
export * from './health.service';
export * from './observability.module';
export * from './queue-depth.sampler';
export * from './unhandled-rejections';
