import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError, isDeadlockError } from '@clarion/common';
import { OutboundEvent, OutboundEvents, withOutbox, writeOutbox } from '@clarion/outbound-webhooks';
import { Broadcast, BroadcastStatus } from '../entities/broadcast.entity';
import { BroadcastStats } from '../entities/broadcast-stats.entity';
import type { LaunchTiming } from '../scheduling/launch-jobs';

/** Tries of a status change that lost a deadlock (see transition). */
const TRANSITION_ATTEMPTS = 5;

/** Broadcast rows and their state transitions (each a conditional UPDATE: concurrent callers cannot both win). */
@Injectable()
export class BroadcastsRepository {
  constructor(
    @InjectRepository(Broadcast) private readonly broadcasts: Repository<Broadcast>,
    @InjectRepository(BroadcastStats) private readonly stats: Repository<BroadcastStats>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async insertWithStats(broadcast: Partial<Broadcast>): Promise<Broadcast> {
    return this.db.transaction(async (m) => {
      const saved = await m.getRepository(Broadcast).save(m.getRepository(Broadcast).create(broadcast));
      await m.getRepository(BroadcastStats).insert({ broadcastId: saved.id });
      return saved;
    });
  }

  findById(id: number): Promise<Broadcast | null> {
    return this.broadcasts.findOneBy({ id });
  }

  async getById(id: number): Promise<Broadcast> {
    const b = await this.findById(id);
    if (!b) throw DomainError.notFound('broadcast', id);
    return b;
  }

  findStats(id: number): Promise<BroadcastStats | null> {
    return this.stats.findOneBy({ broadcastId: id });
  }

  async save(broadcast: Broadcast): Promise<Broadcast> {
    return this.broadcasts.save(broadcast);
  }

  async remove(id: number): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query('DELETE FROM broadcast_recipients WHERE broadcast_id = ?', [id]);
      await m.query('DELETE FROM broadcast_stats WHERE broadcast_id = ?', [id]);
      await m.query('DELETE FROM broadcasts WHERE id = ?', [id]);
    });
  }

  /**
   * Moves a broadcast from one of `from` to `to`; true if this call made the change.
   * `extra` sets more columns in the same statement (SQL fragments are fixed by callers, values bound).
   */
  async transition(id: number, from: BroadcastStatus[], to: BroadcastStatus, reason: string | null = null, extra = ''): Promise<boolean> {
    // A user's pause can deadlock with a dispatch loop completing the same row (the two lock its
    // primary key and status index in opposite orders); the loser was rolled back whole, so it
    // is simply run again instead of answering 500.
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await withOutbox(
          this.db,
          (m) =>
            m.query(`UPDATE broadcasts SET status = ?, status_reason = ?${extra ? `, ${extra}` : ''} WHERE id = ? AND status IN (?)`, [
              to,
              reason,
              id,
              from,
            ]),
          (r) => (affected(r) > 0 ? [OutboundEvents.broadcastStatusChanged(id, to, reason)] : []),
        );
        return affected(result) > 0;
      } catch (error) {
        if (attempt >= TRANSITION_ATTEMPTS || !isDeadlockError(error)) throw error;
        await new Promise((r) => setTimeout(r, 10 * attempt));
      }
    }
  }

  /**
   * Starts a scheduled broadcast whose schedule is still `at` (a job of an older schedule matches
   * nothing). True if this call started it.
   */
  async startIfScheduledAt(id: number, at: Date): Promise<boolean> {
    const result = await withOutbox(
      this.db,
      (m) =>
        m.query(
          "UPDATE broadcasts SET status = 'running', status_reason = NULL, started_at = NOW(3) WHERE id = ? AND status = 'scheduled' AND scheduled_at = ?",
          [id, at],
        ),
      (r) => (affected(r) > 0 ? [OutboundEvents.broadcastStatusChanged(id, 'running')] : []),
    );
    return affected(result) > 0;
  }

  /** Pauses every running (or quota-waiting) broadcast of a sender, e.g. after 131048 or an auth error. */
  pauseAllOfSender(senderId: number, reason: string): Promise<number[]> {
    return this.pauseRunning('sender_id', senderId, reason);
  }

  /** Pauses every running (or quota-waiting) broadcast of a template, e.g. when Meta pauses or disables it. */
  pauseAllOfTemplate(templateId: number, reason: string): Promise<number[]> {
    return this.pauseRunning('template_id', templateId, reason);
  }

  private async pauseRunning(column: 'sender_id' | 'template_id', id: number, reason: string): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.query(
      `SELECT id FROM broadcasts WHERE ${column} = ? AND status IN ('running','waiting_quota')`,
      [id],
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    await withOutbox(
      this.db,
      (m) =>
        m.query("UPDATE broadcasts SET status = 'paused', status_reason = ? WHERE id IN (?) AND status IN ('running','waiting_quota')", [
          reason.slice(0, 500),
          ids,
        ]),
      () => ids.map((id) => OutboundEvents.broadcastStatusChanged(id, 'paused', reason.slice(0, 500))),
    );
    return ids;
  }

  /** Running broadcasts with their sender: the dispatch loops' work list (index ix_broadcasts_status). */
  async listRunning(): Promise<Array<{ id: number; senderId: number; kind: string; fanoutDone: boolean }>> {
    const rows: Array<{ id: number; sender_id: number; kind: string; fanout_done_at: Date | null }> = await this.db.query(
      "SELECT id, sender_id, kind, fanout_done_at FROM broadcasts WHERE status = 'running' ORDER BY id",
    );
    return rows.map((r) => ({ id: Number(r.id), senderId: Number(r.sender_id), kind: r.kind, fanoutDone: r.fanout_done_at !== null }));
  }

  /** Statuses of some broadcasts, one indexed read (the loop re-checks these every batch). */
  async statuses(ids: number[]): Promise<Map<number, BroadcastStatus>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: number; status: BroadcastStatus }> = await this.db.query('SELECT id, status FROM broadcasts WHERE id IN (?)', [
      ids,
    ]);
    return new Map(rows.map((r) => [Number(r.id), r.status]));
  }

  /** Scheduled broadcasts already due or due within `aheadMs` (the recovery tick re-creates their jobs). */
  async listScheduledDue(aheadMs: number): Promise<LaunchTiming[]> {
    const rows: Array<{ id: number; scheduled_at: Date; send_at: string | null; timezone: string | null }> = await this.db.query(
      "SELECT id, scheduled_at, send_at, timezone FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= NOW(3) + INTERVAL ? MICROSECOND",
      [aheadMs * 1000],
    );
    return rows.map((r) => ({ id: Number(r.id), scheduledAt: new Date(r.scheduled_at), sendAt: r.send_at, timezone: r.timezone }));
  }

  /** Running broadcasts whose fan-out has not finished (a crashed launch job is re-created for them). */
  async listUnfinishedFanOut(): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.query(
      "SELECT id FROM broadcasts WHERE status IN ('running','paused','waiting_quota') AND kind = 'broadcast' AND fanout_done_at IS NULL",
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * What the error policy judges, since the broadcast started or last resumed: sends failed
   * (refused at once or reported failed by webhook) of sends attempted (accepted or refused).
   */
  async errorPolicyFigures(id: number): Promise<{ failed: number; attempted: number } | null> {
    const [row] = await this.db.query(
      `SELECT s.failed - LEAST(s.failed, b.policy_failed_base) AS failed,
         (s.accepted + s.refused) - LEAST(s.accepted + s.refused, b.policy_attempted_base) AS attempted
       FROM broadcasts b JOIN broadcast_stats s ON s.broadcast_id = b.id WHERE b.id = ?`,
      [id],
    );
    return row ? { failed: Number(row.failed), attempted: Number(row.attempted) } : null;
  }

  /** The most frequent error codes of a broadcast's failed recipients (for the error policy's reason). */
  async topFailureCodes(id: number, limit = 3): Promise<Array<{ code: number | null; count: number }>> {
    const rows: Array<{ code: number | null; n: string }> = await this.db.query(
      `SELECT error_code AS code, COUNT(*) AS n FROM broadcast_recipients FORCE INDEX (ix_recipient_failed)
       WHERE broadcast_id = ? AND failed_at IS NOT NULL GROUP BY error_code ORDER BY n DESC, code LIMIT ?`,
      [id, limit],
    );
    return rows.map((r) => ({ code: r.code === null ? null : Number(r.code), count: Number(r.n) }));
  }

  /** Cancelled broadcasts that still have pending recipients (handed back after the cancel): the recovery tick cancels those too. */
  async listCancelledWithPending(): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.query(
      `SELECT b.id FROM broadcasts b WHERE b.status = 'cancelled'
         AND EXISTS (SELECT 1 FROM broadcast_recipients r WHERE r.broadcast_id = b.id AND r.dispatch_state = 'pending')`,
    );
    return rows.map((r) => Number(r.id));
  }

  /** A running broadcast that hit the messaging limit waits until `resumeAt` (the recovery tick resumes it). */
  async waitForQuota(id: number, resumeAt: Date, reason: string): Promise<boolean> {
    const result = await withOutbox(
      this.db,
      (m) =>
        m.query("UPDATE broadcasts SET status = 'waiting_quota', status_reason = ?, resume_at = ? WHERE id = ? AND status = 'running'", [
          reason,
          resumeAt,
          id,
        ]),
      (r) => (affected(r) > 0 ? [OutboundEvents.broadcastStatusChanged(id, 'waiting_quota', reason)] : []),
    );
    return affected(result) > 0;
  }

  /** `waiting_quota` broadcasts whose resume time has come go back to running. */
  async resumeQuotaWaiters(): Promise<number> {
    return this.db.transaction(async (m) => {
      const due: Array<{ id: number }> = await m.query(
        "SELECT id FROM broadcasts WHERE status = 'waiting_quota' AND resume_at <= NOW(3) ORDER BY id FOR UPDATE",
      );
      if (due.length === 0) return 0;
      const ids = due.map((r) => Number(r.id));
      await m.query("UPDATE broadcasts SET status = 'running', status_reason = NULL, resume_at = NULL WHERE id IN (?)", [ids]);
      await writeOutbox(
        m,
        ids.map((id) => OutboundEvents.broadcastStatusChanged(id, 'running')),
      );
      return ids.length;
    });
  }

  /** Marks a drained broadcast completed, if it still has nothing pending or claimed (never a sequence step). */
  async completeIfDrained(id: number): Promise<boolean> {
    const result = await withOutbox(
      this.db,
      (m) =>
        m.query(
          `UPDATE broadcasts b SET b.status = 'completed', b.finished_at = NOW(3), b.status_reason = NULL
       WHERE b.id = ? AND b.status = 'running' AND b.kind = 'broadcast' AND b.fanout_done_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM broadcast_recipients r WHERE r.broadcast_id = b.id AND r.dispatch_state IN ('pending','claimed'))`,
          [id],
        ),
      (r, m) => (affected(r) > 0 ? completedEvents(m, id) : []),
    );
    return affected(result) > 0;
  }
}

/** A completed broadcast announces its status and its final figures (read in the completing transaction). */
async function completedEvents(m: EntityManager, id: number): Promise<OutboundEvent[]> {
  const [row] = await m.query(
    'SELECT total, accepted, sent, delivered, `read`, replied, failed, skipped FROM broadcast_stats WHERE broadcast_id = ?',
    [id],
  );
  const stats = Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
  return [OutboundEvents.broadcastStatusChanged(id, 'completed'), OutboundEvents.broadcastCompleted(id, stats)];
}

/** Rows changed by an UPDATE/DELETE run through DataSource.query (mysql2 result header). */
export function affected(result: unknown): number {
  if (Array.isArray(result)) return affected(result[1] ?? result[0]);
  return Number((result as { affectedRows?: number })?.affectedRows ?? 0);
}
