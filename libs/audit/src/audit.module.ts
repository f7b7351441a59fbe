import { Module } from '@nestjs/common';
import { AuditInterceptor } from './audit.interceptor';
import { AuditLogRepository } from './audit-log.repository';
import { AuditQuery } from './audit-query';

/** The audit log: the interceptor that writes it (API), its query, and its pruning (worker). */
@Module({
  providers: [AuditLogRepository, AuditInterceptor, AuditQuery],
  exports: [AuditLogRepository, AuditInterceptor, AuditQuery],
})
export class AuditModule {}
