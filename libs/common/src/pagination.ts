import { DomainError } from './domain-error';

/** The one list shape of the API: `?limit=&cursor=` in, `{ data, nextCursor }` out. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * Every cursor this API hands out is an object whose `id` is a row id and whose other values
 * are single sort keys; anything else (an empty object, an id that is not an integer, an
 * object or array where a key belongs) is refused here, before it could reach SQL as a 500.
 */
export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (isCursorShape(value)) return value as T;
  throw DomainError.validation('cursor is not valid: pass the nextCursor of a previous page');
}

function isCursorShape(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  const id = (value as { id?: unknown }).id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return false;
  return entries.every(
    ([, v]) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)),
  );
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return DEFAULT_PAGE_LIMIT;
  return Math.min(Math.max(1, Math.floor(limit)), MAX_PAGE_LIMIT);
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only says whether
 * another page exists.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => Record<string, unknown>): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return { data, nextCursor: hasMore ? encodeCursor(cursorOf(data[data.length - 1])) : null };
}
