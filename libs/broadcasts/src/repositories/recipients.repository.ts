import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { chunk } from '@clarion/common';
import { affected } from './broadcasts.repository';

/** One ledger row to insert: pending with its rendered parameters, or skipped with a reason. */
export interface NewRecipient {
  contactId: number;
  enrollmentId: number;
  phone: string;
  country: string | null;
  params: unknown | null;
  skipReason: string | null;
  /** Not to be claimed before (the recipient's local send time); null: at once. */
  notBefore?: Date | null;
  /** The recipient's time zone, where its clock matters (recipient-local time, quiet hours). */
  timeZone?: string | null;
}

const INSERT_CHUNK = 1_000;
/** Rows per transaction when a cancel ends unsent recipients (short locks on 1M-row broadcasts). */
const CANCEL_CHUNK = 5_000;

/** The recipient ledger as fan-out writes it. */
@Injectable()
export class RecipientsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Skips, with `reason`, the recipients of these enrolments that dispatch has not claimed yet,
   * and counts them as skipped: one transaction per broadcast. A recipient already claimed is in
   * flight and is left to finish. Returns how many were withdrawn.
   */
  async withdrawPending(broadcastId: number, enrollmentIds: number[], reason: string): Promise<number> {
    if (enrollmentIds.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      let withdrawn = 0;
      for (const part of chunk(enrollmentIds, 5_000)) {
        const result = await tx.query(
          `UPDATE broadcast_recipients SET dispatch_state = 'skipped', status = 'skipped', skip_reason = ?, params = NULL
           WHERE broadcast_id = ? AND enrollment_id IN (?) AND dispatch_state = 'pending'`,
          [reason, broadcastId, part],
        );
        withdrawn += affected(result);
      }
      if (withdrawn > 0)
        await tx.query('UPDATE broadcast_stats SET skipped = skipped + ? WHERE broadcast_id = ?', [withdrawn, broadcastId]);
      return withdrawn;
    });
  }

  /**
   * Ends a cancelled broadcast's unsent (pending) recipients `cancelled` and counts them, a chunk
   * per transaction with its counter. Does nothing unless the broadcast is cancelled, so callers
   * may sweep again for rows that came back to pending after the cancel (an in-flight batch
   * released, a dead worker's claim handed back, a fan-out chunk that was being written).
   * Claimed rows are in flight and left to finish. Returns how many were cancelled.
   */
  async cancelUnsent(broadcastId: number): Promise<number> {
    let cancelled = 0;
    for (;;) {
      const n = await this.db.transaction('READ COMMITTED', async (tx) => {
        const changed = affected(
          await tx.query(
            `UPDATE broadcast_recipients SET dispatch_state = 'cancelled', status = 'cancelled', params = NULL, next_attempt_at = NULL
             WHERE broadcast_id = ? AND dispatch_state = 'pending'
               AND EXISTS (SELECT 1 FROM broadcasts b WHERE b.id = ? AND b.status = 'cancelled')
             ORDER BY id LIMIT ?`,
            [broadcastId, broadcastId, CANCEL_CHUNK],
          ),
        );
        if (changed > 0)
          await tx.query('UPDATE broadcast_stats SET cancelled = cancelled + ? WHERE broadcast_id = ?', [changed, broadcastId]);
        return changed;
      });
      cancelled += n;
      if (n < CANCEL_CHUNK) return cancelled;
    }
  }

  /** Phones of `phones` already in the broadcast (duplicate-phone skip). */
  async existingPhones(broadcastId: number, phones: string[], manager: EntityManager | DataSource = this.db): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows: Array<{ phone: string }> = await manager.query(
      'SELECT phone FROM broadcast_recipients WHERE broadcast_id = ? AND phone IN (?)',
      [broadcastId, phones],
    );
    return new Set(rows.map((r) => r.phone));
  }

  /**
   * Inserts rows idempotently (unique broadcast × contact × enrolment: a replayed chunk inserts
   * nothing) and bumps the broadcast's total/skipped by what was really inserted.
   * Call inside a transaction with the fan-out cursor update.
   */
  async insertChunk(manager: EntityManager, broadcastId: number, rows: NewRecipient[]): Promise<{ inserted: number; skipped: number }> {
    let inserted = 0;
    let skipped = 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const part = rows.slice(i, i + INSERT_CHUNK);
      const pending = part.filter((r) => r.skipReason === null);
      const skips = part.filter((r) => r.skipReason !== null);
      if (pending.length) {
        const values = pending.map((r) => [
          broadcastId,
          r.contactId,
          r.enrollmentId,
          r.phone,
          r.country,
          'pending',
          'queued',
          JSON.stringify(r.params),
          null,
          r.notBefore ?? null,
          r.timeZone ?? null,
        ]);
        inserted += affected(
          await manager.query(
            'INSERT IGNORE INTO broadcast_recipients (broadcast_id, contact_id, enrollment_id, phone, country, dispatch_state, status, params, skip_reason, next_attempt_at, time_zone) VALUES ?',
            [values],
          ),
        );
      }
      if (skips.length) {
        const values = skips.map((r) => [
          broadcastId,
          r.contactId,
          r.enrollmentId,
          r.phone,
          r.country,
          'skipped',
          'skipped',
          null,
          r.skipReason,
        ]);
        const n = affected(
          await manager.query(
            'INSERT IGNORE INTO broadcast_recipients (broadcast_id, contact_id, enrollment_id, phone, country, dispatch_state, status, params, skip_reason) VALUES ?',
            [values],
          ),
        );
        inserted += n;
        skipped += n;
      }
    }
    if (inserted > 0)
      await manager.query('UPDATE broadcast_stats SET total = total + ?, skipped = skipped + ? WHERE broadcast_id = ?', [
        inserted,
        skipped,
        broadcastId,
      ]);
    return { inserted, skipped };
  }
}
