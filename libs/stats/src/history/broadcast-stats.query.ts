import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { BroadcastRates, deriveRates, STATS_COLUMNS, StatsView, toStatsView } from '../rates';

export interface DetailedStats {
  broadcastId: number;
  stats: StatsView;
  rates: BroadcastRates;
  currency: string;
  failuresByCode: Array<{ code: number | null; title: string | null; count: number }>;
  skippedByReason: Array<{ reason: string | null; count: number }>;
  countries: Array<{
    country: string | null;
    sent: number;
    delivered: number;
    read: number;
    replied: number;
    failed: number;
    cost: number;
  }>;
  /** Per-minute buckets (UTC), maintained as events arrive. */
  timeSeries: Array<{ minute: Date; sent: number; delivered: number; read: number; failed: number }>;
}

/**
 * A broadcast's detailed statistics. Counters, per-country figures and the time series come from
 * tables maintained as events arrive; failures by error code are counted from an index alone
 * (broadcast, failed_at, error_code), skips by reason read the skipped rows only.
 */
@Injectable()
export class BroadcastStatsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async detail(broadcastId: number, currency = 'USD'): Promise<DetailedStats> {
    const [row] = await this.db.query(
      `SELECT b.id, ${STATS_COLUMNS('s')} FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id WHERE b.id = ?`,
      [broadcastId],
    );
    if (!row) throw DomainError.notFound('broadcast', broadcastId);
    const [failures, skipped, countries, minutes] = await Promise.all([
      this.db.query(
        `SELECT error_code AS code, COUNT(*) AS n FROM broadcast_recipients FORCE INDEX (ix_recipient_failed_code)
         WHERE broadcast_id = ? AND failed_at IS NOT NULL GROUP BY error_code ORDER BY n DESC`,
        [broadcastId],
      ),
      this.db.query(
        `SELECT skip_reason AS reason, COUNT(*) AS n FROM broadcast_recipients FORCE INDEX (ix_recipient_status) WHERE broadcast_id = ? AND status = 'skipped' GROUP BY skip_reason ORDER BY n DESC`,
        [broadcastId],
      ),
      this.db.query(
        'SELECT country, sent, delivered, `read`, replied, failed, cost FROM broadcast_country_stats WHERE broadcast_id = ? ORDER BY sent DESC, country',
        [broadcastId],
      ),
      this.db.query('SELECT minute, sent, delivered, `read`, failed FROM broadcast_minute_stats WHERE broadcast_id = ? ORDER BY minute', [
        broadcastId,
      ]),
    ]);
    // Meta's title for each code, from one failed row each (a handful of codes, index lookups).
    const titles = await Promise.all(
      failures.map(async (f: Record<string, unknown>) => {
        const [t] = await this.db.query(
          `SELECT error_title FROM broadcast_recipients FORCE INDEX (ix_recipient_failed_code)
           WHERE broadcast_id = ? AND failed_at IS NOT NULL AND error_code ${f.code === null ? 'IS NULL' : '= ?'} LIMIT 1`,
          f.code === null ? [broadcastId] : [broadcastId, f.code],
        );
        return (t?.error_title as string | undefined) ?? null;
      }),
    );
    const stats = toStatsView(row);
    const n = (v: unknown) => Number(v ?? 0);
    return {
      broadcastId,
      stats,
      rates: deriveRates(stats),
      currency,
      failuresByCode: failures.map((f: Record<string, unknown>, i: number) => ({
        code: f.code === null ? null : n(f.code),
        title: titles[i],
        count: n(f.n),
      })),
      skippedByReason: skipped.map((s: Record<string, unknown>) => ({ reason: (s.reason as string) ?? null, count: n(s.n) })),
      countries: countries.map((c: Record<string, unknown>) => ({
        country: (c.country as string) || null,
        sent: n(c.sent),
        delivered: n(c.delivered),
        read: n(c.read),
        replied: n(c.replied),
        failed: n(c.failed),
        cost: Math.round(n(c.cost) * 1e6) / 1e6,
      })),
      timeSeries: minutes.map((m: Record<string, unknown>) => ({
        minute: m.minute as Date,
        sent: n(m.sent),
        delivered: n(m.delivered),
        read: n(m.read),
        failed: n(m.failed),
      })),
    };
  }
}
