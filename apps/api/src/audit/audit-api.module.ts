import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor, AuditModule } from '@clarion/audit';
import { AuditController } from './audit.controller';

/** GET /v1/audit, and the interceptor that writes the log for every @Audited handler. */
@Module({
  imports: [AuditModule],
  controllers: [AuditController],
  providers: [{ provide: APP_INTERCEPTOR, useExisting: AuditInterceptor }],
})
export class AuditApiModule {}
