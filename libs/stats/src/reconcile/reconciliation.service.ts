import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
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
  { figure: 'cancelled', column: 'cancelled', sql: "SUM(dispatch_state = 'cancelled')" },
  { figure: 'cost', column: 'cost', sql: 'COALESCE(SUM(cost), 0)', decimal: true },
];

const BUCKET_FIGURES = ['sent', 'delivered', 'read', 'failed'] as const;
const COUNTRY_FIGURES = ['sent', 'delivered', 'read', 'failed', 'replied', 'cost'] as const;

type Row = Record<string, unknown>;

/** What one consistent snapshot holds: the stored figures and the same figures recounted. */
interface Snapshot {
  stored: Row;
  actual: Row;
  storedBuckets: Row[];
  actualBuckets: Row[];
  storedCountries: Row[];
  actualCountries: Row[];
}

const num = (v: unknown) => Number(v ?? 0);
const differs = (a: number, b: number) => Math.abs(a - b) > 0.0000005;

/**
 * Recomputes a broadcast's counters, per-minute buckets and per-country figures from its
 * recipient rows and repairs any that drifted, reporting each repair (old → new).
 *
 * It never holds a lock while it counts: stored and recounted figures are read in one
 * consistent snapshot (every writer changes recipient rows and counters in the same
 * transaction, so in any snapshot they must agree), and what differs there is applied as a
 * delta in a short transaction afterwards, which stays right whatever was written meanwhile.
 * A named lock per broadcast keeps two reconcilers (the cron and an on-demand call) from
 * applying the same delta twice.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Reconciles one broadcast; 404 if it does not exist. */
  async reconcileBroadcast(broadcastId: number): Promise<ReconciliationReport> {
    const [exists] = await this.db.query('SELECT id FROM broadcasts WHERE id = ?', [broadcastId]);
    if (!exists) throw DomainError.notFound('broadcast', broadcastId);
    const fixes = await this.reconcileOne(broadcastId);
    this.log(fixes);
    return { broadcasts: 1, fixes };
  }

  /**
   * Reconciles every broadcast that is running or whose counters changed in the last
   * `activeWithinMs` (the scheduled job), one at a time.
   */
  async reconcileRecent(activeWithinMs: number): Promise<ReconciliationReport> {
    const since = new Date(Date.now() - activeWithinMs);
    const rows: Array<{ id: number }> = await this.db.query(
      `SELECT b.id FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id
       WHERE b.status IN ('running','paused','waiting_quota') OR s.updated_at >= ? OR b.updated_at >= ? ORDER BY b.id`,
      [since, since],
    );
    const fixes: DriftFix[] = [];
    for (const { id } of rows) fixes.push(...(await this.reconcileOne(id)));
    this.log(fixes);
    return { broadcasts: rows.length, fixes };
  }

  private async reconcileOne(broadcastId: number): Promise<DriftFix[]> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    // Named locks are server-wide: the database's name keeps installs (and test files) apart.
    const lock = `:reconcile:${broadcastId}`;
    try {
      const [{ got }] = await runner.query('SELECT GET_LOCK(SHA1(CONCAT(DATABASE(), ?)), 60) AS got', [lock]);
      if (Number(got) !== 1) throw new Error(`broadcast ${broadcastId} is being reconciled elsewhere`);
      try {
        await runner.query('INSERT IGNORE INTO broadcast_stats (broadcast_id) VALUES (?)', [broadcastId]);
        const snapshot = await this.snapshot(runner, broadcastId);
        const drift = driftOf(snapshot);
        const fixes = [
          ...this.counterFixes(broadcastId, snapshot, drift),
          ...this.bucketFixes(broadcastId, snapshot, drift),
          ...this.countryFixes(broadcastId, snapshot, drift),
        ];
        if (fixes.length > 0) await inTransaction(this.db, (em) => this.apply(em, broadcastId, snapshot, drift));
        return fixes;
      } finally {
        await runner.query('SELECT RELEASE_LOCK(SHA1(CONCAT(DATABASE(), ?)))', [lock]);
      }
    } finally {
      await runner.release();
    }
  }

  private async snapshot(runner: QueryRunner, broadcastId: number): Promise<Snapshot> {
    const minute = (col: string) => `DATE_FORMAT(${col}, '%Y-%m-%d %H:%i:00')`;
    await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await runner.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    try {
      const [stored] = await runner.query(
        `SELECT ${FIGURES.map((f) => `${f.column} AS \`${f.figure}\``).join(', ')} FROM broadcast_stats WHERE broadcast_id = ?`,
        [broadcastId],
      );
      const [actual] = await runner.query(
        `SELECT ${FIGURES.map((f) => `${f.sql} AS \`${f.figure}\``).join(', ')} FROM broadcast_recipients WHERE broadcast_id = ?`,
        [broadcastId],
      );
      const storedBuckets = await runner.query(
        `SELECT DATE_FORMAT(minute, '%Y-%m-%d %H:%i:00') AS k, sent, delivered, \`read\`, failed FROM broadcast_minute_stats WHERE broadcast_id = ?`,
        [broadcastId],
      );
      const actualBuckets = await runner.query(
        `SELECT m AS k, SUM(f = 's') AS sent, SUM(f = 'd') AS delivered, SUM(f = 'r') AS \`read\`, SUM(f = 'f') AS failed FROM (
           SELECT ${minute('sent_at')} AS m, 's' AS f FROM broadcast_recipients WHERE broadcast_id = ? AND sent_at IS NOT NULL
           UNION ALL SELECT ${minute('delivered_at')}, 'd' FROM broadcast_recipients WHERE broadcast_id = ? AND delivered_at IS NOT NULL
           UNION ALL SELECT ${minute('read_at')}, 'r' FROM broadcast_recipients WHERE broadcast_id = ? AND read_at IS NOT NULL
           UNION ALL SELECT ${minute('failed_at')}, 'f' FROM broadcast_recipients WHERE broadcast_id = ? AND failed_at IS NOT NULL AND wamid IS NOT NULL
         ) t GROUP BY m`,
        [broadcastId, broadcastId, broadcastId, broadcastId],
      );
      const storedCountries = await runner.query(
        'SELECT country AS k, sent, delivered, `read`, failed, replied, cost FROM broadcast_country_stats WHERE broadcast_id = ?',
        [broadcastId],
      );
      const actualCountries = await runner.query(
        `SELECT COALESCE(country, '') AS k, SUM(sent_at IS NOT NULL) AS sent, SUM(delivered_at IS NOT NULL) AS delivered,
           SUM(read_at IS NOT NULL) AS \`read\`, SUM(failed_at IS NOT NULL AND wamid IS NOT NULL) AS failed, SUM(replied_at IS NOT NULL) AS replied,
           COALESCE(SUM(cost), 0) AS cost
         FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY COALESCE(country, '')`,
        [broadcastId],
      );
      return { stored, actual, storedBuckets, actualBuckets, storedCountries, actualCountries };
    } finally {
      await runner.query('COMMIT');
    }
  }

  private counterFixes(broadcastId: number, s: Snapshot, drift: Drift): DriftFix[] {
    return drift.counters.map((f) => ({
      broadcastId,
      figure: f.figure,
      was: num(s.stored[f.figure]),
      now: num(s.actual[f.figure]),
    }));
  }

  private bucketFixes(broadcastId: number, s: Snapshot, drift: Drift): DriftFix[] {
    const sum = (rows: Row[], f: string) => rows.reduce((n, r) => n + num(r[f]), 0);
    return BUCKET_FIGURES.filter((f) => [...drift.buckets.values()].some((d) => d[f] !== 0)).map((f) => ({
      broadcastId,
      figure: `timeSeries.${f}`,
      was: sum(s.storedBuckets, f),
      now: sum(s.actualBuckets, f),
    }));
  }

  private countryFixes(broadcastId: number, s: Snapshot, drift: Drift): DriftFix[] {
    const stored = new Map(s.storedCountries.map((r) => [String(r.k), r]));
    const actual = new Map(s.actualCountries.map((r) => [String(r.k), r]));
    const fixes: DriftFix[] = [];
    for (const [country, d] of drift.countries) {
      for (const f of COUNTRY_FIGURES) {
        if (d[f] === 0) continue;
        fixes.push({
          broadcastId,
          figure: `countries.${country || '??'}.${f}`,
          was: num(stored.get(country)?.[f]),
          now: num(actual.get(country)?.[f]),
        });
      }
    }
    return fixes;
  }

  /** Applies the snapshot's differences as deltas: right even if figures moved since. */
  private async apply(em: EntityManager, broadcastId: number, s: Snapshot, drift: Drift): Promise<void> {
    const counters = drift.counters;
    if (counters.length > 0) {
      await em.query(
        `UPDATE broadcast_stats SET ${counters.map((f) => (f.decimal ? `${f.column} = ${f.column} + ?` : `${f.column} = GREATEST(CAST(${f.column} AS SIGNED) + ?, 0)`)).join(', ')} WHERE broadcast_id = ?`,
        [
          ...counters.map((f) =>
            f.decimal ? (num(s.actual[f.figure]) - num(s.stored[f.figure])).toFixed(6) : num(s.actual[f.figure]) - num(s.stored[f.figure]),
          ),
          broadcastId,
        ],
      );
    }
    await applyKeyed(em, 'broadcast_minute_stats', 'minute', broadcastId, drift.buckets, BUCKET_FIGURES);
    await applyKeyed(em, 'broadcast_country_stats', 'country', broadcastId, drift.countries, COUNTRY_FIGURES);
  }

  private log(fixes: DriftFix[]): void {
    for (const fix of fixes) this.logger.warn(fix, `broadcast ${fix.broadcastId}: ${fix.figure} ${fix.was} → ${fix.now}`);
  }
}

/** Per key (minute or country), recounted − stored for each figure; keys with no difference left out. */
/** What differs between the stored and the recounted figures of one snapshot, computed once for the report and the repair. */
interface Drift {
  counters: typeof FIGURES;
  buckets: Map<string, Record<(typeof BUCKET_FIGURES)[number], number>>;
  countries: Map<string, Record<(typeof COUNTRY_FIGURES)[number], number>>;
}

function driftOf(s: Snapshot): Drift {
  return {
    counters: FIGURES.filter((f) => differs(num(s.stored[f.figure]), num(s.actual[f.figure]))),
    buckets: keyedDeltas(s.storedBuckets, s.actualBuckets, BUCKET_FIGURES),
    countries: keyedDeltas(s.storedCountries, s.actualCountries, COUNTRY_FIGURES),
  };
}

function keyedDeltas<F extends string>(stored: Row[], actual: Row[], figures: readonly F[]): Map<string, Record<F, number>> {
  const out = new Map<string, Record<F, number>>();
  const add = (rows: Row[], sign: number) => {
    for (const r of rows) {
      const key = String(r.k);
      const d = out.get(key) ?? (Object.fromEntries(figures.map((f) => [f, 0])) as Record<F, number>);
      for (const f of figures) d[f] += sign * num(r[f]);
      out.set(key, d);
    }
  };
  add(actual, 1);
  add(stored, -1);
  for (const [key, d] of out) {
    for (const f of figures) if (!differs(d[f], 0)) d[f] = 0;
    if (figures.every((f) => d[f] === 0)) out.delete(key);
  }
  return out;
}

async function applyKeyed<F extends string>(
  em: EntityManager,
  table: string,
  keyColumn: string,
  broadcastId: number,
  deltas: Map<string, Record<F, number>>,
  figures: readonly F[],
): Promise<void> {
  const keys = [...deltas.keys()].sort();
  if (keys.length === 0) return;
  await em.query(
    `INSERT IGNORE INTO ${table} (broadcast_id, ${keyColumn}) VALUES ${keys.map(() => '(?,?)').join(',')}`,
    keys.flatMap((k) => [broadcastId, k]),
  );
  const column = (f: string) => (f === 'read' ? '`read`' : f);
  for (const key of keys) {
    const d = deltas.get(key) as Record<F, number>;
    const changed = figures.filter((f) => d[f] !== 0);
    await em.query(
      `UPDATE ${table} SET ${changed.map((f) => (f === 'cost' ? 'cost = cost + ?' : `${column(f)} = GREATEST(CAST(${column(f)} AS SIGNED) + ?, 0)`)).join(', ')}
       WHERE broadcast_id = ? AND ${keyColumn} = ?`,
      [...changed.map((f) => (f === 'cost' ? d[f].toFixed(6) : d[f])), broadcastId, key],
    );
  }
}
