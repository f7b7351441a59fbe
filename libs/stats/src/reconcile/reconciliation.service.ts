import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@clarion/common';
import { inTransaction } from '../ingest/transaction';

/** One figure that did not match the ledger, and what it was set to. */
export interface DriftFix {
  broadcastId: number;
  figure: string;
  was: number;
  now: number;
}

export interface ReconciliationReport {
  broadcasts: number;
  fixes: DriftFix[];
}

/** Counter columns and how each is recomputed from broadcast_recipients. */
const FIGURES: Array<{ figure: string; column: string; sql: string; decimal?: boolean }> = [
  { figure: 'total', column: 'total', sql: 'COUNT(*)' },
  { figure: 'accepted', column: 'accepted', sql: "SUM(dispatch_state = 'accepted')" },
  { figure: 'sent', column: 'sent', sql: 'SUM(sent_at IS NOT NULL)' },
  {
    figure: 'awaitingDelivery',
    column: 'awaiting_delivery',
    sql: "SUM(sent_at IS NOT NULL AND delivered_at IS NULL AND failed_at IS NULL AND status <> 'failed')",
  },
  { figure: 'delivered', column: 'delivered', sql: 'SUM(delivered_at IS NOT NULL)' },
  { figure: 'read', column: '`read`', sql: 'SUM(read_at IS NOT NULL)' },
  { figure: 'replied', column: 'replied', sql: 'SUM(replied_at IS NOT NULL)' },
  { figure: 'failed', column: 'failed', sql: "SUM(failed_at IS NOT NULL OR status = 'failed')" },
  { figure: 'refused', column: 'refused', sql: "SUM(dispatch_state = 'failed')" },
  { figure: 'reportedFailed', column: 'reported_failed', sql: 'SUM(failed_at IS NOT NULL AND wamid IS NOT NULL)' },
  { figure: 'skipped', column: 'skipped', sql: "SUM(status = 'skipped')" },
  { figure: 'cost', column: 'cost', sql: 'COALESCE(SUM(cost), 0)', decimal: true },
];

/** Buckets are compared per figure, summed over the broadcast's minutes. */
const BUCKET_FIGURES = ['sent', 'delivered', 'read', 'failed'] as const;

/**
 * Recomputes a broadcast's counters (and per-minute buckets) from its recipient rows and repairs
 * any that drifted, reporting each repair. Correct beside live ingestion: the counter row is
 * locked first, and the recount's snapshot is taken after that lock is granted, so a writer that
 * committed before is counted and one still running adds its delta after ours (every writer
 * updates recipient rows before the counter row, in one transaction).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Reconciles one broadcast; 404 if it does not exist. */
  async reconcileBroadcast(broadcastId: number): Promise<ReconciliationReport> {
    const [exists] = await this.db.query('SELECT id FROM broadcasts WHERE id = ?', [broadcastId]);
    if (!exists) throw DomainError.notFound('broadcast', broadcastId);
    const fixes = await inTransaction(this.db, (em) => this.reconcileIn(em, broadcastId));
    this.log(fixes);
    return { broadcasts: 1, fixes };
  }

  /**
   * Reconciles every broadcast that is running or whose counters changed in the last
   * `activeWithinMs` (the scheduled job), one transaction each.
   */
  async reconcileRecent(activeWithinMs: number): Promise<ReconciliationReport> {
    const since = new Date(Date.now() - activeWithinMs);
    const rows: Array<{ id: number }> = await this.db.query(
      `SELECT b.id FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id
       WHERE b.status IN ('running','paused','waiting_quota') OR s.updated_at >= ? OR b.updated_at >= ? ORDER BY b.id`,
      [since, since],
    );
    const fixes: DriftFix[] = [];
    for (const { id } of rows) fixes.push(...(await inTransaction(this.db, (em) => this.reconcileIn(em, id))));
    this.log(fixes);
    return { broadcasts: rows.length, fixes };
  }

  private async reconcileIn(em: EntityManager, broadcastId: number): Promise<DriftFix[]> {
    await em.query('INSERT IGNORE INTO broadcast_stats (broadcast_id) VALUES (?)', [broadcastId]);
    const [stored] = await em.query(
      `SELECT ${FIGURES.map((f) => `${f.column} AS \`${f.figure}\``).join(', ')} FROM broadcast_stats WHERE broadcast_id = ? FOR UPDATE`,
      [broadcastId],
    );
    const [actual] = await em.query(
      `SELECT ${FIGURES.map((f) => `${f.sql} AS \`${f.figure}\``).join(', ')} FROM broadcast_recipients WHERE broadcast_id = ?`,
      [broadcastId],
    );
    const fixes: DriftFix[] = [];
    for (const f of FIGURES) {
      const was = Number(stored[f.figure]);
      const now = Number(actual[f.figure] ?? 0);
      if (f.decimal ? Math.abs(was - now) > 0.0000005 : was !== now) fixes.push({ broadcastId, figure: f.figure, was, now });
    }
    if (fixes.length > 0) {
      const byFigure = new Map(FIGURES.map((f) => [f.figure, f]));
      await em.query(
        `UPDATE broadcast_stats SET ${fixes.map((x) => `${byFigure.get(x.figure)?.column} = ?`).join(', ')} WHERE broadcast_id = ?`,
        [...fixes.map((x) => (byFigure.get(x.figure)?.decimal ? x.now.toFixed(6) : x.now)), broadcastId],
      );
    }
    fixes.push(...(await this.reconcileBuckets(em, broadcastId)));
    fixes.push(...(await this.reconcileCountries(em, broadcastId)));
    return fixes;
  }

  private async reconcileBuckets(em: EntityManager, broadcastId: number): Promise<DriftFix[]> {
    const minute = (col: string) => `DATE_FORMAT(${col}, '%Y-%m-%d %H:%i:00')`;
    const actual: Array<{ minute: string; sent: string; delivered: string; read: string; failed: string }> = await em.query(
      `SELECT m AS minute, SUM(f = 's') AS sent, SUM(f = 'd') AS delivered, SUM(f = 'r') AS \`read\`, SUM(f = 'f') AS failed FROM (
         SELECT ${minute('sent_at')} AS m, 's' AS f FROM broadcast_recipients WHERE broadcast_id = ? AND sent_at IS NOT NULL
         UNION ALL SELECT ${minute('delivered_at')}, 'd' FROM broadcast_recipients WHERE broadcast_id = ? AND delivered_at IS NOT NULL
         UNION ALL SELECT ${minute('read_at')}, 'r' FROM broadcast_recipients WHERE broadcast_id = ? AND read_at IS NOT NULL
         UNION ALL SELECT ${minute('failed_at')}, 'f' FROM broadcast_recipients WHERE broadcast_id = ? AND failed_at IS NOT NULL AND wamid IS NOT NULL
       ) t GROUP BY m`,
      [broadcastId, broadcastId, broadcastId, broadcastId],
    );
    const stored: Array<{ minute: string; sent: number; delivered: number; read: number; failed: number }> = await em.query(
      `SELECT DATE_FORMAT(minute, '%Y-%m-%d %H:%i:00') AS minute, sent, delivered, \`read\`, failed FROM broadcast_minute_stats WHERE broadcast_id = ? FOR UPDATE`,
      [broadcastId],
    );
    const key = (r: { minute: string; sent: unknown; delivered: unknown; read: unknown; failed: unknown }) =>
      `${r.minute}|${Number(r.sent)}|${Number(r.delivered)}|${Number(r.read)}|${Number(r.failed)}`;
    const a = actual.map(key).sort();
    const s = stored.map(key).sort();
    if (a.join('\n') === s.join('\n')) return [];

    await em.query('DELETE FROM broadcast_minute_stats WHERE broadcast_id = ?', [broadcastId]);
    if (actual.length > 0) {
      await em.query(
        `INSERT INTO broadcast_minute_stats (broadcast_id, minute, sent, delivered, \`read\`, failed) VALUES ${actual.map(() => '(?,?,?,?,?,?)').join(',')}`,
        actual.flatMap((r) => [broadcastId, r.minute, Number(r.sent), Number(r.delivered), Number(r.read), Number(r.failed)]),
      );
    }
    const sum = (rows: Array<Record<string, unknown>>, f: string) => rows.reduce((n, r) => n + Number(r[f]), 0);
    return BUCKET_FIGURES.filter((f) => sum(actual, f) !== sum(stored, f))
      .map((f) => ({
        broadcastId,
        figure: `timeSeries.${f}`,
        was: sum(stored, f),
        now: sum(actual, f),
      }))
      .concat(
        BUCKET_FIGURES.every((f) => sum(actual, f) === sum(stored, f))
          ? [{ broadcastId, figure: 'timeSeries.minutes', was: stored.length, now: actual.length }]
          : [],
      );
  }

  private async reconcileCountries(em: EntityManager, broadcastId: number): Promise<DriftFix[]> {
    const figures = ['sent', 'delivered', 'read', 'failed', 'replied', 'cost'] as const;
    const actual: Array<Record<string, unknown>> = await em.query(
      `SELECT COALESCE(country, '') AS country, SUM(sent_at IS NOT NULL) AS sent, SUM(delivered_at IS NOT NULL) AS delivered,
         SUM(read_at IS NOT NULL) AS \`read\`, SUM(failed_at IS NOT NULL AND wamid IS NOT NULL) AS failed, SUM(replied_at IS NOT NULL) AS replied,
         COALESCE(SUM(cost), 0) AS cost
       FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY COALESCE(country, '')`,
      [broadcastId],
    );
    const stored: Array<Record<string, unknown>> = await em.query(
      'SELECT country, sent, delivered, `read`, failed, replied, cost FROM broadcast_country_stats WHERE broadcast_id = ? FOR UPDATE',
      [broadcastId],
    );
    const keep = actual.filter((r) => figures.some((f) => Number(r[f]) !== 0));
    const key = (r: Record<string, unknown>) => [r.country, ...figures.map((f) => Number(r[f]).toFixed(6))].join('|');
    if (
      keep.map(key).sort().join('\n') ===
      stored
        .filter((r) => figures.some((f) => Number(r[f]) !== 0))
        .map(key)
        .sort()
        .join('\n')
    )
      return [];

    await em.query('DELETE FROM broadcast_country_stats WHERE broadcast_id = ?', [broadcastId]);
    if (keep.length > 0) {
      await em.query(
        `INSERT INTO broadcast_country_stats (broadcast_id, country, sent, delivered, \`read\`, failed, replied, cost) VALUES ${keep.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`,
        keep.flatMap((r) => [broadcastId, r.country, ...figures.map((f) => (f === 'cost' ? Number(r[f]).toFixed(6) : Number(r[f])))]),
      );
    }
    const was = new Map(stored.map((r) => [String(r.country), r]));
    const fixes: DriftFix[] = [];
    for (const r of keep) {
      const before = was.get(String(r.country));
      for (const f of figures) {
        const old = Number(before?.[f] ?? 0);
        const now = Number(r[f]);
        if (Math.abs(old - now) > 0.0000005) fixes.push({ broadcastId, figure: `countries.${r.country || '??'}.${f}`, was: old, now });
      }
    }
    return fixes;
  }

  private log(fixes: DriftFix[]): void {
    for (const fix of fixes) this.logger.warn(fix, `broadcast ${fix.broadcastId}: ${fix.figure} ${fix.was} → ${fix.now}`);
  }
}
