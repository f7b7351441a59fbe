import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';
import { BroadcastRates, deriveRates, RATE_SQL, STATS_COLUMNS, StatsView, toStatsView } from '../rates';

export const HISTORY_SORTS = [
  'createdAt',
  'startedAt',
  'name',
  'total',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
  'skipped',
  'cost',
  'deliveryRate',
  'readRate',
  'replyRate',
  'failureRate',
] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];

export interface HistoryFilter {
  search?: string;
  status?: string[];
  senderId?: number;
  templateId?: number;
  template?: string;
  tag?: string;
  from?: Date;
  to?: Date;
  kind?: 'broadcast' | 'sequence_step';
  sort?: HistorySort;
  order?: 'asc' | 'desc';
}

export interface BroadcastSummary {
  id: number;
  name: string;
  kind: string;
  status: string;
  senderId: number;
  template: { id: number; name: string; language: string; category: string };
  tags: string[];
  createdAt: Date;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  stats: StatsView;
  rates: BroadcastRates;
}

const SORT_SQL: Record<HistorySort, string> = {
  createdAt: 'b.created_at',
  startedAt: "COALESCE(b.started_at, '1000-01-01')",
  name: 'b.name',
  total: 'COALESCE(s.total, 0)',
  sent: 'COALESCE(s.sent, 0)',
  delivered: 'COALESCE(s.delivered, 0)',
  read: 'COALESCE(s.`read`, 0)',
  replied: 'COALESCE(s.replied, 0)',
  failed: 'COALESCE(s.failed, 0)',
  skipped: 'COALESCE(s.skipped, 0)',
  cost: 'COALESCE(s.cost, 0)',
  deliveryRate: RATE_SQL.deliveryRate('s'),
  readRate: RATE_SQL.readRate('s'),
  replyRate: RATE_SQL.replyRate('s'),
  failureRate: RATE_SQL.failureRate('s'),
};

/**
 * A deferred join: the page's ids are chosen over narrow (id, sort key) rows, then only those
 * rows are read in full, so sorting 10,000 broadcasts by a figure sorts ids, not whole rows.
 */
const PAGE = (
  sortSql: string,
  where: string,
  dir: string,
) => `SELECT b.id, b.name, b.kind, b.status, b.sender_id, b.template_id, b.template_name,
  b.template_language, b.template_category, b.tags, b.created_at, b.scheduled_at, b.started_at, b.finished_at, p.sort_key, ${STATS_COLUMNS('s')}
  FROM (SELECT b.id AS pid, ${sortSql} AS sort_key FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id
        WHERE ${where} ORDER BY sort_key ${dir}, b.id ${dir} LIMIT ?) p
  JOIN broadcasts b ON b.id = p.pid LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id
  ORDER BY p.sort_key ${dir}, b.id ${dir}`;

/** MySQL DATETIME text for a cursor value that was a date. */
function sqlValue(v: unknown): unknown {
  return v instanceof Date ? v.toISOString().slice(0, 23).replace('T', ' ') : v;
}

/**
 * The broadcast history: search, filters, sort by any figure or rate, keyset pagination on
 * (sort key, id). Figures come from the maintained counters, never from counting recipients.
 */
@Injectable()
export class HistoryQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: HistoryFilter, limit?: number, cursor?: string): Promise<Page<BroadcastSummary>> {
    const take = clampLimit(limit);
    const after = decodeCursor<{ k: unknown; id: number }>(cursor);
    if (after && (typeof after.id !== 'number' || !('k' in after)))
      throw DomainError.validation('cursor is not valid: pass the nextCursor of a previous page');
    const { sql, params } = this.build(filter, take + 1, after);
    const rows = await this.db.query(sql, params);
    const page = toPage<Record<string, unknown>>(rows, take, (last) => ({ k: sqlValue(last.sort_key), id: Number(last.id) }));
    return { data: page.data.map(toSummary), nextCursor: page.nextCursor };
  }

  /** Every matching broadcast, in pages of `pageSize`, for exports. */
  async *stream(filter: HistoryFilter, pageSize = 1000): AsyncGenerator<BroadcastSummary[]> {
    let after: { k: unknown; id: number } | undefined;
    for (;;) {
      const { sql, params } = this.build(filter, pageSize, after);
      const rows: Array<Record<string, unknown>> = await this.db.query(sql, params);
      if (rows.length === 0) return;
      yield rows.map(toSummary);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { k: sqlValue(last.sort_key), id: Number(last.id) };
    }
  }

  private build(filter: HistoryFilter, limit: number, after?: { k: unknown; id: number }): { sql: string; params: unknown[] } {
    const where: string[] = ['b.kind = ?'];
    const params: unknown[] = [filter.kind ?? 'broadcast'];
    if (filter.search) {
      where.push('b.name LIKE ?');
      params.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (filter.status?.length) {
      where.push(`b.status IN (${filter.status.map(() => '?').join(',')})`);
      params.push(...filter.status);
    }
    if (filter.senderId !== undefined) {
      where.push('b.sender_id = ?');
      params.push(filter.senderId);
    }
    if (filter.templateId !== undefined) {
      where.push('b.template_id = ?');
      params.push(filter.templateId);
    }
    if (filter.template) {
      where.push('b.template_name = ?');
      params.push(filter.template);
    }
    if (filter.tag) {
      where.push('JSON_CONTAINS(b.tags, JSON_QUOTE(?))');
      params.push(filter.tag);
    }
    if (filter.from) {
      where.push('b.created_at >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      where.push('b.created_at < ?');
      params.push(filter.to);
    }
    const sort = SORT_SQL[filter.sort ?? 'createdAt'];
    const desc = (filter.order ?? 'desc') === 'desc';
    if (after) {
      const cmp = desc ? '<' : '>';
      where.push(`(${sort} ${cmp} ? OR (${sort} = ? AND b.id ${cmp} ?))`);
      params.push(after.k, after.k, after.id);
    }
    const dir = desc ? 'DESC' : 'ASC';
    return { sql: PAGE(sort, where.join(' AND '), dir), params: [...params, limit] };
  }
}

export function toSummary(r: Record<string, unknown>): BroadcastSummary {
  const stats = toStatsView(r);
  const tags = typeof r.tags === 'string' ? (JSON.parse(r.tags) as string[]) : ((r.tags as string[] | null) ?? []);
  return {
    id: Number(r.id),
    name: r.name as string,
    kind: r.kind as string,
    status: r.status as string,
    senderId: Number(r.sender_id),
    template: {
      id: Number(r.template_id),
      name: r.template_name as string,
      language: r.template_language as string,
      category: r.template_category as string,
    },
    tags: Array.isArray(tags) ? tags : [],
    createdAt: r.created_at as Date,
    scheduledAt: (r.scheduled_at as Date | null) ?? null,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    stats,
    rates: deriveRates(stats),
  };
}

/** Columns of the history export (CSV and XLSX). */
export const HISTORY_EXPORT_HEADER = [
  'id',
  'name',
  'status',
  'sender_id',
  'template',
  'language',
  'tags',
  'created_at',
  'started_at',
  'finished_at',
  'total',
  'queued',
  'sent',
  'awaiting_delivery',
  'delivered',
  'read',
  'replied',
  'failed',
  'skipped',
  'cancelled',
  'delivery_rate',
  'read_rate',
  'reply_rate',
  'cost',
];

export function historyExportRow(b: BroadcastSummary): unknown[] {
  const s = b.stats;
  return [
    b.id,
    b.name,
    b.status,
    b.senderId,
    b.template.name,
    b.template.language,
    b.tags.join(' '),
    b.createdAt,
    b.startedAt,
    b.finishedAt,
    s.total,
    s.queued,
    s.sent,
    s.awaitingDelivery,
    s.delivered,
    s.read,
    s.replied,
    s.failed,
    s.skipped,
    s.cancelled,
    b.rates.deliveryRate,
    b.rates.readRate,
    b.rates.replyRate,
    s.cost,
  ];
}
