import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { clampLimit, decodeCursor, Page, toPage } from '@clarion/common';

/** One broadcast (or sequence step) a contact was a recipient of, with how far it got. */
export interface ContactMessageView {
  recipientId: number;
  broadcastId: number;
  broadcastName: string;
  status: string;
  sentAt: Date | null;
  errorCode: number | null;
  errorTitle: string | null;
  skipReason: string | null;
  createdAt: Date;
}

/** What one contact was sent: its recipient rows, newest first, keyset-paged on the recipient id. */
@Injectable()
export class ContactMessagesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(contactId: number, limit?: number, cursor?: string): Promise<Page<ContactMessageView>> {
    const take = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT r.id, r.broadcast_id, b.name, r.status, r.replied_at, COALESCE(r.sent_at, r.accepted_at) AS sent_at,
              r.error_code, r.error_title, r.skip_reason, r.created_at
         FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
        WHERE r.contact_id = ? ${after ? 'AND r.id < ?' : ''}
        ORDER BY r.id DESC LIMIT ?`,
      after ? [contactId, after.id, take + 1] : [contactId, take + 1],
    );
    const views = rows.map((r): ContactMessageView => ({
      recipientId: Number(r.id),
      broadcastId: Number(r.broadcast_id),
      broadcastName: r.name as string,
      // A reply is the furthest a message gets; the ledger keeps it beside the delivery status.
      status: r.replied_at ? 'replied' : (r.status as string),
      sentAt: r.sent_at as Date | null,
      errorCode: r.error_code === null ? null : Number(r.error_code),
      errorTitle: r.error_title as string | null,
      skipReason: r.skip_reason as string | null,
      createdAt: r.created_at as Date,
    }));
    return toPage(views, take, (last) => ({ id: last.recipientId }));
  }
}
