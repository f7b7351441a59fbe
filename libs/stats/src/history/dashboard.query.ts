import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';

export interface DashboardDay {
  day: string;
  broadcasts: number;
  total: number;
  sent: number;
  delivered: number;
  deliveryRate: number | null;
  read: number;
  readRate: number | null;
  replied: number;
  failed: number;
  cost: number;
}

/** A failure reason over a range: Meta's error code, its title and how many recipients failed with it. */
export interface FailureReason {
  code: number | null;
  title: string | null;
  count: number;
}

export interface Dashboard {
  from: string;
  to: string;
  totals: Omit<DashboardDay, 'day'>;
  days: DashboardDay[];
}

const MAX_DAYS = 366;

function checkRange(from: Date, to: Date): void {
  if (to <= from) throw DomainError.validation('to must be after from');
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw DomainError.validation(`the range may span at most ${MAX_DAYS} days`);
}

/** Broadcasts (not sequence steps) counted in a range: by the time they started, or were created if not started. */
const IN_RANGE = `b.kind = 'broadcast' AND COALESCE(b.started_at, b.created_at) >= ? AND COALESCE(b.started_at, b.created_at) < ?`;

const COUNTS = ['broadcasts', 'total', 'sent', 'delivered', 'read', 'replied', 'failed', 'cost'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

function countsOf(value: (key: (typeof COUNTS)[number]) => number): Counts {
  return Object.fromEntries(COUNTS.map((k) => [k, value(k)])) as Counts;
}

/** A day's (or the range's) figures: the counters and the rates derived from them. */
function figures(c: Counts): Omit<DashboardDay, 'day'> {
  return {
    broadcasts: c.broadcasts,
    total: c.total,
    sent: c.sent,
    delivered: c.delivered,
    deliveryRate: ratio(c.delivered, c.sent),
    read: c.read,
    readRate: ratio(c.read, c.delivered),
    replied: c.replied,
    failed: c.failed,
    cost: Math.round(c.cost * 1e6) / 1e6,
  };
}

function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
}

/**
 * Totals across broadcasts (not sequence steps) by the UTC day they started (or were created,
 * if not started), from the maintained counters.
 */
@Injectable()
export class DashboardQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async byDay(from: Date, to: Date): Promise<Dashboard> {
    checkRange(from, to);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT DATE_FORMAT(COALESCE(b.started_at, b.created_at), '%Y-%m-%d') AS day, COUNT(*) AS broadcasts,
         SUM(COALESCE(s.total,0)) AS total, SUM(COALESCE(s.sent,0)) AS sent, SUM(COALESCE(s.delivered,0)) AS delivered,
         SUM(COALESCE(s.\`read\`,0)) AS \`read\`, SUM(COALESCE(s.replied,0)) AS replied, SUM(COALESCE(s.failed,0)) AS failed,
         SUM(COALESCE(s.cost,0)) AS cost
       FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id
       WHERE ${IN_RANGE}
       GROUP BY day ORDER BY day`,
      [from, to],
    );
    const days: DashboardDay[] = rows.map((r) => ({ day: String(r.day), ...figures(countsOf((k) => Number(r[k] ?? 0))) }));
    const totals = figures(countsOf((k) => days.reduce((n, d) => n + d[k], 0)));
    return { from: from.toISOString(), to: to.toISOString(), totals, days };
  }

  /**
   * The most frequent failure codes of the range's broadcasts, most frequent first, with Meta's
   * title. Counted per broadcast from the (broadcast, failed_at, error_code) index: failed rows only.
   */
  async topFailures(from: Date, to: Date, limit = 10): Promise<FailureReason[]> {
    checkRange(from, to);
    const rows: Array<{ code: string | null; n: string; broadcast_id: string }> = await this.db.query(
      `SELECT r.error_code AS code, COUNT(*) AS n, MIN(r.broadcast_id) AS broadcast_id
       FROM broadcasts b JOIN broadcast_recipients r FORCE INDEX (ix_recipient_failed_code) ON r.broadcast_id = b.id AND r.failed_at IS NOT NULL
       WHERE ${IN_RANGE} GROUP BY r.error_code ORDER BY n DESC, code LIMIT ?`,
      [from, to, limit],
    );
    return Promise.all(
      rows.map(async (r) => {
        const code = r.code === null ? null : Number(r.code);
        const [t] = await this.db.query(
          `SELECT error_title FROM broadcast_recipients FORCE INDEX (ix_recipient_failed_code)
           WHERE broadcast_id = ? AND failed_at IS NOT NULL AND error_code ${code === null ? 'IS NULL' : '= ?'} LIMIT 1`,
          code === null ? [r.broadcast_id] : [r.broadcast_id, code],
        );
        return { code, title: (t?.error_title as string | undefined) ?? null, count: Number(r.n) };
      }),
    );
  }
}
