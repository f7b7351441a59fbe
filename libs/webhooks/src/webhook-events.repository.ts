import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A stored webhook body waiting to be applied. */
export interface StoredWebhook {
  id: number;
  receivedAt: Date;
  body: Buffer;
  attempts: number;
}

export interface NewWebhook {
  receivedAt: Date;
  sha256: Buffer;
  body: Buffer;
}

/** After this many failed attempts a row stays unprocessed with its last error, for an operator. */
export const MAX_WEBHOOK_ATTEMPTS = 12;
const LEASE_SECONDS = 60;

/** All I/O on the webhook inbox (`webhook_events`) and the applied-event keys. */
@Injectable()
export class WebhookEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores bodies in one multi-row INSERT. A body already stored (Meta retrying the same
   * delivery) is skipped by the unique hash, so the retry is acknowledged but applied once.
   */
  async insertMany(rows: NewWebhook[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query('INSERT IGNORE INTO webhook_events (received_at, body_sha256, body) VALUES ?', [
      rows.map((r) => [r.receivedAt, r.sha256, r.body]),
    ]);
  }

  /**
   * Claims up to `limit` unapplied rows for this worker: `FOR UPDATE SKIP LOCKED` keeps
   * concurrent workers off each other's rows, and a lease (rather than a long transaction)
   * hands the rows back if this worker dies before marking them. READ COMMITTED: under
   * REPEATABLE READ the locking scan would also lock the gap after the last pending row, and
   * every webhook the API stores meanwhile would wait for this transaction.
   */
  async claimPending(limit: number): Promise<StoredWebhook[]> {
    return this.db.transaction('READ COMMITTED', async (tx) => {
      const rows: Array<{ id: string | number; received_at: Date; body: Buffer; attempts: number }> = await tx.query(
        `SELECT id, received_at, body, attempts FROM webhook_events
          WHERE processed_at IS NULL AND attempts < ? AND (lease_until IS NULL OR lease_until < UTC_TIMESTAMP(3))
          ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [MAX_WEBHOOK_ATTEMPTS, limit],
      );
      if (rows.length === 0) return [];
      await tx.query(
        'UPDATE webhook_events SET lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND, attempts = attempts + 1 WHERE id IN (?)',
        [LEASE_SECONDS, rows.map((r) => r.id)],
      );
      return rows.map((r) => ({ id: Number(r.id), receivedAt: r.received_at, body: r.body, attempts: r.attempts + 1 }));
    });
  }

  async markProcessed(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query('UPDATE webhook_events SET processed_at = UTC_TIMESTAMP(3), lease_until = NULL WHERE id IN (?)', [ids]);
  }

  /** Records the failure and retries later, backing off exponentially (capped at 5 minutes). */
  async markFailed(id: number, attempts: number, error: string): Promise<void> {
    const delay = Math.min(2 ** attempts, 300);
    await this.db.query('UPDATE webhook_events SET last_error = ?, lease_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ?', [
      error.slice(0, 1000),
      delay,
      id,
    ]);
  }

  /** Which of these event keys were applied before. */
  async existingKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: Array<{ event_key: string }> = await this.db.query('SELECT event_key FROM webhook_event_keys WHERE event_key IN (?)', [
      keys,
    ]);
    return new Set(rows.map((r) => r.event_key));
  }

  async rememberKeys(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('INSERT IGNORE INTO webhook_event_keys (event_key) VALUES ?', [keys.map((k) => [k])]);
  }

  /** Applied rows older than the retention (Meta stops retrying after 7 days), in chunks. */
  async purgeOlderThan(before: Date, chunkSize = 5000): Promise<number> {
    const events = await this.db.query('DELETE FROM webhook_events WHERE processed_at IS NOT NULL AND received_at < ? LIMIT ?', [
      before,
      chunkSize,
    ]);
    const keys = await this.db.query('DELETE FROM webhook_event_keys WHERE created_at < ? LIMIT ?', [before, chunkSize]);
    return Number(events.affectedRows ?? 0) + Number(keys.affectedRows ?? 0);
  }

  async countPending(): Promise<number> {
    const [row] = await this.db.query('SELECT COUNT(*) AS n FROM webhook_events WHERE processed_at IS NULL');
    return Number(row.n);
  }
}
