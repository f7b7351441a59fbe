import { DomainError } from '@clarion/common';
import { normalisePhone } from '../imports/parsing/phone';

/**
 * Which contacts a list, export or bulk change covers. All given criteria must hold.
 * `search` matches the name (substring) or the phone in any spelling: a parseable number is
 * normalised to E.164 and matched exactly, other digits match anywhere in the phone.
 * `tags` matches contacts having ANY of them; `attribute` matches exact attribute values.
 */
export interface ContactFilter {
  search?: string;
  listId?: number;
  importId?: number;
  tags?: string[];
  attribute?: Record<string, string>;
  optedOut?: boolean;
  contactIds?: number[];
}

export interface SqlCondition {
  where: string;
  params: unknown[];
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A JSON path for one attribute key, quoted so any header text works (`$."Signup Date"`). */
export function attributePath(key: string): string {
  if (!key || key.length > 255) throw DomainError.validation('attribute names must have 1 to 255 characters');
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** SQL for a filter over `contacts c` (always a valid WHERE clause; `1=1` for no criteria). */
export function filterSql(filter: ContactFilter): SqlCondition {
  const where: string[] = [];
  const params: unknown[] = [];
  const search = filter.search?.trim();
  if (search) {
    const alternatives = ['c.name LIKE ?'];
    params.push(`%${likeEscape(search)}%`);
    const phone = normalisePhone(search, undefined);
    if (phone.ok) {
      alternatives.push('c.phone = ?');
      params.push(phone.e164);
    }
    const digits = search.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 4 && /^[\d\s()+\-.]+$/.test(search)) {
      alternatives.push('c.phone LIKE ?');
      params.push(`%${digits}%`);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (filter.listId !== undefined) {
    where.push('EXISTS (SELECT 1 FROM contact_list_members m WHERE m.contact_id = c.id AND m.list_id = ?)');
    params.push(filter.listId);
  }
  if (filter.importId !== undefined) {
    where.push('EXISTS (SELECT 1 FROM import_contacts i WHERE i.contact_id = c.id AND i.import_id = ?)');
    params.push(filter.importId);
  }
  if (filter.tags?.length) {
    where.push('EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag IN (?))');
    params.push(filter.tags);
  }
  for (const [key, value] of Object.entries(filter.attribute ?? {})) {
    where.push('JSON_UNQUOTE(JSON_EXTRACT(c.attributes, ?)) = ?');
    params.push(attributePath(key), String(value));
  }
  if (filter.optedOut !== undefined) {
    where.push('c.opted_out = ?');
    params.push(filter.optedOut ? 1 : 0);
  }
  if (filter.contactIds) {
    if (filter.contactIds.length === 0) where.push('1=0');
    else {
      where.push('c.id IN (?)');
      params.push(filter.contactIds);
    }
  }
  return { where: where.length ? where.join(' AND ') : '1=1', params };
}
