import { Injectable } from '@nestjs/common';
import { clampLimit, decodeCursor, Page, toPage } from '@clarion/common';
import { AuditFilter, AuditLogRepository, AuditRow } from './audit-log.repository';

/** Reads the audit log, newest first, paged like every list. */
@Injectable()
export class AuditQuery {
  constructor(private readonly log: AuditLogRepository) {}

  async list(filter: AuditFilter, limit?: number, cursor?: string): Promise<Page<AuditRow>> {
    const size = clampLimit(limit);
    const before = decodeCursor<{ id: number }>(cursor)?.id;
    return toPage(await this.log.list(filter, before === undefined ? undefined : Number(before), size), size, (r) => ({ id: r.id }));
  }
}
