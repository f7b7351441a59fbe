import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type ActorType = 'user' | 'token' | 'anonymous';

export interface AuditEntry {
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  action: string;
  outcome: 'succeeded' | 'failed';
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  address: string | null;
}

export interface AuditRow extends AuditEntry {
  id: number;
  at: Date;
}

export interface AuditFilter {
  /** `user:<id>`, `token:<id>`, or an email or token name. */
  actor?: string;
  /** An action (`broadcast.pause`) or a family (`broadcast.*`). */
  action?: string;
  from?: Date;
  to?: Date;
}

/** Rows bigger than this (a template's components, say) keep their keys' names only. */
const MAX_JSON = 60_000;

function json(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  if (text.length <= MAX_JSON) return text;
  return JSON.stringify({ truncated: true, keys: typeof value === 'object' ? Object.keys(value as object) : [] });
}

function parse(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : (v ?? null);
}

/** The audit table: appended to, read newest first, and pruned by age. Nothing updates a row. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(e: AuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_name, action, outcome, target_type, target_id, \`before\`, \`after\`, address)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        e.actorType,
        e.actorId,
        e.actorName?.slice(0, 255) ?? null,
        e.action.slice(0, 64),
        e.outcome,
        e.targetType,
        e.targetId?.slice(0, 64) ?? null,
        json(e.before),
        json(e.after),
        e.address?.slice(0, 64) ?? null,
      ],
    );
  }

  /** Newest first, keyset by id, `limit + 1` rows. */
  async list(filter: AuditFilter, beforeId: number | undefined, limit: number): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (beforeId !== undefined) where.push('id < ?') && params.push(beforeId);
    if (filter.action?.endsWith('.*'))
      where.push('action LIKE ?') && params.push(`${filter.action.slice(0, -2).replace(/[%_\\]/g, '\\$&')}.%`);
    else if (filter.action) where.push('action = ?') && params.push(filter.action);
    const actor = filter.actor && /^(user|token):(\d+)$/.exec(filter.actor);
    if (actor) where.push('actor_type = ? AND actor_id = ?') && params.push(actor[1], actor[2]);
    else if (filter.actor) where.push('actor_name = ?') && params.push(filter.actor);
    if (filter.from) where.push('at >= ?') && params.push(filter.from);
    if (filter.to) where.push('at < ?') && params.push(filter.to);
    const rows = await this.db.query(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      at: r.at as Date,
      actorType: r.actor_type as ActorType,
      actorId: (r.actor_id as string | null) ?? null,
      actorName: (r.actor_name as string | null) ?? null,
      action: String(r.action),
      outcome: r.outcome as AuditEntry['outcome'],
      targetType: (r.target_type as string | null) ?? null,
      targetId: (r.target_id as string | null) ?? null,
      before: parse(r.before),
      after: parse(r.after),
      address: (r.address as string | null) ?? null,
    }));
  }

  /** A snapshot of one row of `table` (a name fixed in code by @Audited, never from a request). */
  async snapshot(table: string, id: string): Promise<Record<string, unknown> | null> {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    const [row] = await this.db.query(`SELECT * FROM \`${table}\` WHERE id = ?`, [id]);
    return row ?? null;
  }

  /** Deletes rows older than `days`, oldest first in chunks; returns how many went. */
  async prune(days: number): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.db.query('DELETE FROM audit_log WHERE at < NOW(3) - INTERVAL ? DAY ORDER BY id LIMIT 10000', [days]);
      total += Number(r.affectedRows);
      if (Number(r.affectedRows) < 10_000) return total;
    }
  }
}
