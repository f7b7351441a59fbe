import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { chunk } from '@clarion/common';
import type { EnrollmentStatus, StopReason } from '../entities/sequence-enrollment.entity';

/** A contact's latest run in a sequence. */
export interface LatestRun {
  id: number;
  contactId: number;
  run: number;
  status: EnrollmentStatus;
}

export interface NewEnrollment {
  contactId: number;
  run: number;
  nextDueAt: Date;
}

/** An enrolment whose next step has fallen due. */
export interface DueEnrollment {
  id: number;
  contactId: number;
  nextStep: number;
  nextDueAt: Date;
  enrolledAt: Date;
}

export interface EnrollmentRow {
  id: number;
  contactId: number;
  run: number;
  status: EnrollmentStatus;
  nextStep: number;
  nextDueAt: Date | null;
  stopReason: StopReason | null;
  enrolledAt: Date;
  lastStepAt: Date | null;
  endedAt: Date | null;
}

const INSERT_CHUNK = 1_000;
const ID_CHUNK = 5_000;

/** All reads and writes of sequence_enrollments; bulk writes are chunked. */
@Injectable()
export class EnrollmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async latestRuns(sequenceId: number, contactIds: number[]): Promise<Map<number, LatestRun>> {
    const latest = new Map<number, LatestRun>();
    for (const ids of chunk(contactIds, ID_CHUNK)) {
      const rows: Array<{ id: string | number; contact_id: string | number; run: number; status: EnrollmentStatus }> = await this.db.query(
        'SELECT id, contact_id, run, status FROM sequence_enrollments WHERE sequence_id = ? AND contact_id IN (?)',
        [sequenceId, ids],
      );
      for (const r of rows) {
        const contactId = Number(r.contact_id);
        const known = latest.get(contactId);
        if (!known || r.run > known.run) latest.set(contactId, { id: Number(r.id), contactId, run: Number(r.run), status: r.status });
      }
    }
    return latest;
  }

  /** Inserts runs; a run that already exists (a concurrent enrolment) is left alone. Returns how many were new. */
  async insertRuns(sequenceId: number, runs: NewEnrollment[], enrolledAt: Date): Promise<number> {
    let inserted = 0;
    for (const part of chunk(runs, INSERT_CHUNK)) {
      const values: unknown[] = [];
      for (const r of part) values.push(sequenceId, r.contactId, r.run, r.nextDueAt, enrolledAt, enrolledAt);
      const result = await this.db.query(
        `INSERT IGNORE INTO sequence_enrollments (sequence_id, contact_id, run, next_due_at, anchor_at, enrolled_at)
         VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        values,
      );
      inserted += Number(result.affectedRows ?? 0);
    }
    return inserted;
  }

  /** Ends active runs (stop, unenrol, restart): they get no further step. Returns how many ended. */
  async end(ids: number[], status: Exclude<EnrollmentStatus, 'active'>, reason: StopReason | null, at: Date): Promise<number> {
    let ended = 0;
    for (const part of chunk(ids, ID_CHUNK)) {
      const result = await this.db.query(
        `UPDATE sequence_enrollments SET status = ?, stop_reason = ?, ended_at = ?, next_due_at = NULL
         WHERE id IN (?) AND status = 'active'`,
        [status, reason, at, part],
      );
      ended += Number(result.affectedRows ?? 0);
    }
    return ended;
  }

  /** Unenrols the active runs of these contacts. */
  /** Ids of every run (any status) of these contacts in a sequence. */
  async runIdsOf(sequenceId: number, contactIds: number[]): Promise<number[]> {
    const ids: number[] = [];
    for (const part of chunk(contactIds, ID_CHUNK)) {
      const rows: Array<{ id: number }> = await this.db.query(
        'SELECT id FROM sequence_enrollments WHERE sequence_id = ? AND contact_id IN (?)',
        [sequenceId, part],
      );
      ids.push(...rows.map((r) => Number(r.id)));
    }
    return ids;
  }

  async unenrollContacts(sequenceId: number, contactIds: number[], at: Date): Promise<number> {
    let ended = 0;
    for (const part of chunk(contactIds, ID_CHUNK)) {
      const result = await this.db.query(
        `UPDATE sequence_enrollments SET status = 'unenrolled', stop_reason = 'unenrolled', ended_at = ?, next_due_at = NULL
         WHERE sequence_id = ? AND contact_id IN (?) AND status = 'active'`,
        [at, sequenceId, part],
      );
      ended += Number(result.affectedRows ?? 0);
    }
    return ended;
  }

  /** Unenrols every active run of a sequence, in bounded batches so that no statement holds locks for long. */
  async unenrollAll(sequenceId: number, reason: StopReason, at: Date): Promise<number> {
    let ended = 0;
    for (;;) {
      const result = await this.db.query(
        `UPDATE sequence_enrollments SET status = 'unenrolled', stop_reason = ?, ended_at = ?, next_due_at = NULL
         WHERE sequence_id = ? AND status = 'active' LIMIT ${ID_CHUNK}`,
        [reason, at, sequenceId],
      );
      const n = Number(result.affectedRows ?? 0);
      ended += n;
      if (n < ID_CHUNK) return ended;
    }
  }

  /**
   * The next `limit` active runs of a sequence whose step is due at `now`, earliest first, after
   * the keyset position `after` (index ix_enrollments_due; ties broken by id), so that a firing
   * can read on while earlier chunks are still being written.
   */
  async claimDue(sequenceId: number, now: Date, limit: number, after?: { dueAt: Date; id: number }): Promise<DueEnrollment[]> {
    const keyset = after ? 'AND (next_due_at > ? OR (next_due_at = ? AND id > ?))' : '';
    const rows: Array<{ id: string | number; contact_id: string | number; next_step: number; next_due_at: Date; enrolled_at: Date }> =
      await this.db.query(
        `SELECT id, contact_id, next_step, next_due_at, enrolled_at FROM sequence_enrollments
       WHERE sequence_id = ? AND status = 'active' AND next_due_at <= ? ${keyset}
       ORDER BY next_due_at, id LIMIT ?`,
        [sequenceId, now, ...(after ? [after.dueAt, after.dueAt, after.id] : []), limit],
      );
    return rows.map((r) => ({
      id: Number(r.id),
      contactId: Number(r.contact_id),
      nextStep: Number(r.next_step),
      nextDueAt: r.next_due_at,
      enrolledAt: r.enrolled_at,
    }));
  }

  /**
   * Moves runs past `step` to `step + 1`, due at `nextDueAt` with the delay anchored at `anchorAt`.
   * Guarded by `next_step = step` so that a repeated tick cannot skip a step.
   */
  async advance(ids: number[], step: number, nextDueAt: Date, anchorAt: Date): Promise<void> {
    for (const part of chunk(ids, ID_CHUNK)) {
      await this.db.query(
        `UPDATE sequence_enrollments SET next_step = ?, next_due_at = ?, anchor_at = ?, last_step_at = ?
         WHERE id IN (?) AND status = 'active' AND next_step = ?`,
        [step + 1, nextDueAt, anchorAt, anchorAt, part, step],
      );
    }
  }

  /** Marks runs whose last step has just been enqueued as completed. */
  async complete(ids: number[], step: number, at: Date): Promise<void> {
    for (const part of chunk(ids, ID_CHUNK)) {
      await this.db.query(
        `UPDATE sequence_enrollments SET status = 'completed', next_due_at = NULL, last_step_at = ?, ended_at = ?
         WHERE id IN (?) AND status = 'active' AND next_step = ?`,
        [at, at, part, step],
      );
    }
  }

  /** Postpones runs (outside their send window now) to `dueAt`. */
  async postpone(ids: number[], dueAt: Date): Promise<void> {
    for (const part of chunk(ids, ID_CHUNK)) {
      await this.db.query(`UPDATE sequence_enrollments SET next_due_at = ? WHERE id IN (?) AND status = 'active'`, [dueAt, part]);
    }
  }

  /**
   * Re-applies an edited delay to the runs waiting for `step`: due = anchor + delay. Runs that now
   * fall outside their window are moved to its opening by the tick.
   */
  async reschedulePending(sequenceId: number, step: number, delaySeconds: number): Promise<number> {
    const result = await this.db.query(
      `UPDATE sequence_enrollments SET next_due_at = anchor_at + INTERVAL ? SECOND
       WHERE sequence_id = ? AND status = 'active' AND next_step = ?`,
      [delaySeconds, sequenceId, step],
    );
    return Number(result.affectedRows ?? 0);
  }

  /** Runs completed because a removed trailing step was their next one. */
  async completeBeyond(sequenceId: number, lastStep: number, at: Date): Promise<number> {
    const result = await this.db.query(
      `UPDATE sequence_enrollments SET status = 'completed', next_due_at = NULL, ended_at = ?
       WHERE sequence_id = ? AND status = 'active' AND next_step > ?`,
      [at, sequenceId, lastStep],
    );
    return Number(result.affectedRows ?? 0);
  }

  async countsByStatus(sequenceIds: number[]): Promise<Map<number, Record<EnrollmentStatus, number>>> {
    const out = new Map<number, Record<EnrollmentStatus, number>>();
    if (sequenceIds.length === 0) return out;
    for (const id of sequenceIds) out.set(id, { active: 0, completed: 0, stopped: 0, unenrolled: 0 });
    const rows: Array<{ sequence_id: number; status: EnrollmentStatus; n: string | number }> = await this.db.query(
      'SELECT sequence_id, status, COUNT(*) AS n FROM sequence_enrollments WHERE sequence_id IN (?) GROUP BY sequence_id, status',
      [sequenceIds],
    );
    for (const r of rows) out.get(Number(r.sequence_id))![r.status] = Number(r.n);
    return out;
  }

  /** Runs currently waiting for each step of a sequence. */
  async waitingBySteps(sequenceId: number): Promise<Map<number, number>> {
    const rows: Array<{ next_step: number; n: string | number }> = await this.db.query(
      `SELECT next_step, COUNT(*) AS n FROM sequence_enrollments WHERE sequence_id = ? AND status = 'active' GROUP BY next_step`,
      [sequenceId],
    );
    return new Map(rows.map((r) => [Number(r.next_step), Number(r.n)]));
  }

  /**
   * Active runs whose next step falls due before `until`, counted per step and per slot of
   * `slotMinutes` counted from `origin` (a slot boundary at or before `from`); runs already overdue
   * count at `from`: they go out at the next tick.
   */
  async dueSlots(
    sequenceId: number,
    origin: Date,
    from: Date,
    until: Date,
    slotMinutes: number,
  ): Promise<Array<{ step: number; slot: number; count: number }>> {
    const rows: Array<{ next_step: number; slot: string | number; n: string | number }> = await this.db.query(
      `SELECT next_step, FLOOR(TIMESTAMPDIFF(MINUTE, ?, GREATEST(next_due_at, ?)) / ?) AS slot, COUNT(*) AS n
       FROM sequence_enrollments
       WHERE sequence_id = ? AND status = 'active' AND next_due_at IS NOT NULL AND next_due_at < ?
       GROUP BY next_step, slot`,
      [origin, from, slotMinutes, sequenceId, until],
    );
    return rows.map((r) => ({ step: Number(r.next_step), slot: Number(r.slot), count: Number(r.n) }));
  }

  /** A page of runs, newest first; optionally one status or one contact. */
  async page(
    sequenceId: number,
    filter: { status?: EnrollmentStatus; contactId?: number },
    afterId: number | undefined,
    limit: number,
  ): Promise<EnrollmentRow[]> {
    const where = ['sequence_id = ?'];
    const params: unknown[] = [sequenceId];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.contactId) {
      where.push('contact_id = ?');
      params.push(filter.contactId);
    }
    if (afterId !== undefined) {
      where.push('id < ?');
      params.push(afterId);
    }
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT id, contact_id, run, status, next_step, next_due_at, stop_reason, enrolled_at, last_step_at, ended_at
       FROM sequence_enrollments WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contactId: Number(r.contact_id),
      run: Number(r.run),
      status: r.status as EnrollmentStatus,
      nextStep: Number(r.next_step),
      nextDueAt: (r.next_due_at as Date | null) ?? null,
      stopReason: (r.stop_reason as StopReason | null) ?? null,
      enrolledAt: r.enrolled_at as Date,
      lastStepAt: (r.last_step_at as Date | null) ?? null,
      endedAt: (r.ended_at as Date | null) ?? null,
    }));
  }
}
