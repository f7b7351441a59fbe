import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';
import { ContactFilter, filterSql } from './contact-filter';
import { CONTACT_COLUMNS, ContactRow, ContactView, toContactView } from './contact-view';

export type ContactSortField = 'id' | 'name' | 'createdAt' | 'phone';
export interface ContactSort {
  field: ContactSortField;
  descending: boolean;
}

const SORT_COLUMN: Record<ContactSortField, string> = { id: 'c.id', name: 'c.name', createdAt: 'c.created_at', phone: 'c.phone' };
const SORT_KEY: Record<ContactSortField, keyof ContactRow> = { id: 'id', name: 'name', createdAt: 'created_at', phone: 'phone' };

interface Cursor extends Record<string, unknown> {
  v: string | number | null;
  id: number;
}

/** Reads contacts: pages (keyset on the sort column + id), one contact, and export batches. */
@Injectable()
export class ContactsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: ContactFilter, sort: ContactSort, limit?: number, cursor?: string): Promise<Page<ContactView>> {
    const take = clampLimit(limit);
    const condition = filterSql(filter);
    const after = decodeCursor<Cursor>(cursor);
    const keyset = after ? keysetSql(sort, after) : { where: '1=1', params: [] };
    const direction = sort.descending ? 'DESC' : 'ASC';
    const column = SORT_COLUMN[sort.field];
    const rows: ContactRow[] = await this.db.query(
      `SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE ${condition.where} AND ${keyset.where}
       ORDER BY ${column === 'c.id' ? '' : `${column} ${direction}, `}c.id ${direction} LIMIT ?`,
      [...condition.params, ...keyset.params, take + 1],
    );
    const page = toPage(rows, take, (last) => ({ v: cursorValue(last[SORT_KEY[sort.field]]), id: Number(last.id) }));
    return { data: await this.withRelations(page.data), nextCursor: page.nextCursor };
  }

  async get(id: number): Promise<ContactView> {
    const rows: ContactRow[] = await this.db.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?`, [id]);
    if (!rows[0]) throw DomainError.notFound('contact', id);
    return (await this.withRelations(rows))[0];
  }

  /** Every matching contact in id order, a page at a time (constant memory for any size). */
  async *stream(filter: ContactFilter, pageSize = 5_000): AsyncGenerator<ContactView[]> {
    const condition = filterSql(filter);
    let after = 0;
    for (;;) {
      const rows: ContactRow[] = await this.db.query(
        `SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE ${condition.where} AND c.id > ? ORDER BY c.id LIMIT ?`,
        [...condition.params, after, pageSize],
      );
      if (rows.length === 0) return;
      yield this.withRelations(rows);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /** Attribute names used by the matching contacts (sampled from up to 10,000 of them), sorted. */
  async attributeKeys(filter: ContactFilter): Promise<string[]> {
    const condition = filterSql(filter);
    const rows: Array<{ k: unknown }> = await this.db.query(
      `SELECT DISTINCT JSON_KEYS(c.attributes) AS k FROM (SELECT c.attributes FROM contacts c WHERE ${condition.where} AND c.attributes IS NOT NULL LIMIT 10000) c`,
      condition.params,
    );
    const keys = new Set<string>();
    for (const r of rows) {
      const parsed = typeof r.k === 'string' ? JSON.parse(r.k) : r.k;
      if (Array.isArray(parsed)) for (const k of parsed) keys.add(String(k));
    }
    return [...keys].sort();
  }

  private async withRelations(rows: ContactRow[]): Promise<ContactView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    const [tags, lists]: [Array<{ contact_id: number | string; tag: string }>, Array<{ contact_id: number | string; list_id: number }>] =
      await Promise.all([
        this.db.query('SELECT contact_id, tag FROM contact_tags WHERE contact_id IN (?) ORDER BY tag', [ids]),
        this.db.query('SELECT contact_id, list_id FROM contact_list_members WHERE contact_id IN (?) ORDER BY list_id', [ids]),
      ]);
    const tagsOf = group(
      tags,
      (t) => Number(t.contact_id),
      (t) => t.tag,
    );
    const listsOf = group(
      lists,
      (l) => Number(l.contact_id),
      (l) => Number(l.list_id),
    );
    return rows.map((r) => toContactView(r, tagsOf.get(Number(r.id)) ?? [], listsOf.get(Number(r.id)) ?? []));
  }
}

function group<T, V>(items: T[], keyOf: (t: T) => number, valueOf: (t: T) => V): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = map.get(key);
    if (list) list.push(valueOf(item));
    else map.set(key, [valueOf(item)]);
  }
  return map;
}

function cursorValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'number' ? value : String(value);
}

/**
 * Rows after the cursor in (sort column, id) order. MySQL sorts NULL names first ascending and
 * last descending, which the NULL branches follow.
 */
function keysetSql(sort: ContactSort, cursor: Cursor): { where: string; params: unknown[] } {
  if (!Number.isSafeInteger(cursor.id)) throw DomainError.validation('cursor is not valid: pass the nextCursor of a previous page');
  const op = sort.descending ? '<' : '>';
  if (sort.field === 'id') return { where: `c.id ${op} ?`, params: [cursor.id] };
  const column = SORT_COLUMN[sort.field];
  const value = sort.field === 'createdAt' && cursor.v !== null ? new Date(String(cursor.v)) : cursor.v;
  if (value === null) {
    return sort.descending
      ? { where: `(${column} IS NULL AND c.id < ?)`, params: [cursor.id] }
      : { where: `((${column} IS NULL AND c.id > ?) OR ${column} IS NOT NULL)`, params: [cursor.id] };
  }
  const base = `(${column} ${op} ? OR (${column} = ? AND c.id ${op} ?))`;
  return sort.descending
    ? { where: `(${base} OR ${column} IS NULL)`, params: [value, value, cursor.id] }
    : { where: base, params: [value, value, cursor.id] };
}
