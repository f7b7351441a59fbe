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

export interface Dashboard {
  from: string;
  to: string;
  totals: Omit<DashboardDay, 'day'>;
  days: DashboardDay[];
}

const MAX_DAYS = 366;

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
    if (to <= from) throw DomainError.validation('to must be after from');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw DomainError.validation(`the range may span at most ${MAX_DAYS} days`);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT DATE_FORMAT(COALESCE(b.started_at, b.created_at), '%Y-%m-%d') AS day, COUNT(*) AS broadcasts,
         SUM(COALESCE(s.total,0)) AS total, SUM(COALESCE(s.sent,0)) AS sent, SUM(COALESCE(s.delivered,0)) AS delivered,
         SUM(COALESCE(s.\`read\`,0)) AS \`read\`, SUM(COALESCE(s.replied,0)) AS replied, SUM(COALESCE(s.failed,0)) AS failed,
         SUM(COALESCE(s.cost,0)) AS cost
       FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id
       WHERE b.kind = 'broadcast' AND COALESCE(b.started_at, b.created_at) >= ? AND COALESCE(b.started_at, b.created_at) < ?
       GROUP BY day ORDER BY day`,
      [from, to],
    );
    const days = rows.map((r) => this.day(String(r.day), r));
    const sum = (k: keyof DashboardDay) => days.reduce((n, d) => n + Number(d[k] ?? 0), 0);
    const totals = {
      broadcasts: sum('broadcasts'),
      total: sum('total'),
      sent: sum('sent'),
      delivered: sum('delivered'),
      deliveryRate: ratio(sum('delivered'), sum('sent')),
      read: sum('read'),
      readRate: ratio(sum('read'), sum('delivered')),
      replied: sum('replied'),
      failed: sum('failed'),
      cost: Math.round(sum('cost') * 1e6) / 1e6,
    };
    return { from: from.toISOString(), to: to.toISOString(), totals, days };
  }

  private day(day: string, r: Record<string, unknown>): DashboardDay {
    const n = (k: string) => Number(r[k] ?? 0);
    return {
      day,
      broadcasts: n('broadcasts'),
      total: n('total'),
      sent: n('sent'),
      delivered: n('delivered'),
      deliveryRate: ratio(n('delivered'), n('sent')),
      read: n('read'),
      readRate: ratio(n('read'), n('delivered')),
      replied: n('replied'),
      failed: n('failed'),
      cost: Math.round(n('cost') * 1e6) / 1e6,
    };
  }
}
