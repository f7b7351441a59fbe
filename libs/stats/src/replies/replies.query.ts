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

  /** Of `contactIds`, those who wrote back at or after `since`, each with their latest reply (one query for a batch). */
  async latestRepliesSince(contactIds: number[], since: Date): Promise<Map<number, Date>> {
    if (contactIds.length === 0) return new Map();
    const rows: Array<{ contact_id: string | number; latest: Date }> = await this.db.query(
      `SELECT contact_id, MAX(received_at) AS latest FROM inbound_messages
       WHERE contact_id IN (${contactIds.map(() => '?').join(',')}) AND received_at >= ? GROUP BY contact_id`,
      [...contactIds, since],
    );
    return new Map(rows.map((r) => [Number(r.contact_id), new Date(r.latest)]));
  }
}
