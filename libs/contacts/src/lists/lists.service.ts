import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';

export interface ListView {
  id: number;
  name: string;
  size: number;
  createdAt: Date;
}

/** Named contact lists: imports fill them, broadcasts target them. */
@Injectable()
export class ListsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The id of the list with this name, created if missing (safe under concurrent imports). */
  async ensure(name: string): Promise<number> {
    const result = await this.db.query('INSERT INTO contact_lists (name) VALUES (?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)', [
      name.trim(),
    ]);
    return Number(result.insertId);
  }

  /** Adds contacts to a list (those already in it stay once); returns how many were new. */
  async addMembers(listId: number, contactIds: number[]): Promise<number> {
    if (contactIds.length === 0) return 0;
    const result = await this.db.query('INSERT IGNORE INTO contact_list_members (list_id, contact_id) VALUES ?', [
      contactIds.map((id) => [listId, id]),
    ]);
    return Number(result.affectedRows ?? 0);
  }

  async list(limit?: number, cursor?: string, search?: string): Promise<Page<ListView>> {
    const take = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor);
    if (after && !Number.isSafeInteger(after.id))
      throw DomainError.validation('cursor is not valid: pass the nextCursor of a previous page');
    const where: string[] = [];
    const params: unknown[] = [];
    if (after) {
      where.push('l.id > ?');
      params.push(after.id);
    }
    if (search?.trim()) {
      where.push('l.name LIKE ?');
      params.push(`%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const rows: Array<{ id: number; name: string; created_at: Date; size: number | string }> = await this.db.query(
      `SELECT l.id, l.name, l.created_at, (SELECT COUNT(*) FROM contact_list_members m WHERE m.list_id = l.id) AS size
       FROM contact_lists l ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id LIMIT ?`,
      [...params, take + 1],
    );
    return toPage(
      rows.map((r) => ({ id: r.id, name: r.name, size: Number(r.size), createdAt: r.created_at })),
      take,
      (v) => ({ id: v.id }),
    );
  }

  async get(id: number): Promise<ListView> {
    const rows: Array<{ id: number; name: string; created_at: Date; size: number | string }> = await this.db.query(
      'SELECT l.id, l.name, l.created_at, (SELECT COUNT(*) FROM contact_list_members m WHERE m.list_id = l.id) AS size FROM contact_lists l WHERE l.id = ?',
      [id],
    );
    if (!rows[0]) throw DomainError.notFound('contact list', id);
    return { id: rows[0].id, name: rows[0].name, size: Number(rows[0].size), createdAt: rows[0].created_at };
  }
}
