export * from './audited.decorator';
export * from './audit-log.repository';
export * from './audit.interceptor';
export * from './audit-query';
export * from './redact';
export * from './audit.module';
