import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Questions other capabilities ask about inbound messages (sequences stop on reply). */
@Injectable()
export class RepliesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the contact sent us any inbound message (STOP included) at or after `since`. */
  async hasRepliedSince(contactId: number, since: Date): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM inbound_messages WHERE contact_id = ? AND received_at >= ? LIMIT 1', [
      contactId,
      since,
    ]);
    return rows.length > 0;
  }

  /** Of `contactIds`, those who wrote back at or after `since` (one query for a batch). */
  async contactsRepliedSince(contactIds: number[], since: Date): Promise<Set<number>> {
    if (contactIds.length === 0) return new Set();
    const rows: Array<{ contact_id: string | number }> = await this.db.query(
      `SELECT DISTINCT contact_id FROM inbound_messages WHERE contact_id IN (${contactIds.map(() => '?').join(',')}) AND received_at >= ?`,
      [...contactIds, since],
    );
    return new Set(rows.map((r) => Number(r.contact_id)));
  }
}
