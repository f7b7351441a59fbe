import { DomainError } from '@clarion/common';
import type { ImportMode, ImportOptions } from '../entities/contact-import.entity';
import { parseColumnMapping } from './parsing/column-mapping';
import { isKnownCountry } from './parsing/phone';

/** The text fields of an upload besides `file`, as the client sent them. */
export type ImportFields = Partial<Record<'mapping' | 'defaultCountry' | 'list' | 'tags' | 'mode' | 'sheet', string>>;

export const IMPORT_FIELDS = ['mapping', 'defaultCountry', 'list', 'tags', 'mode', 'sheet'] as const;
/** Excel's own limit on a worksheet's name. */
const MAX_SHEET_NAME = 31;
const MODES: ImportMode[] = ['create', 'update', 'upsert'];
export const MAX_IMPORT_TAGS = 20;

/**
 * Validates an upload's fields into import options; every message names the field.
 * `tags` is a comma-separated list or a JSON array of strings.
 */
export function parseImportOptions(fields: Record<string, string>): ImportOptions {
  const unknown = Object.keys(fields).filter((k) => !(IMPORT_FIELDS as readonly string[]).includes(k));
  if (unknown.length)
    throw DomainError.validation(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (allowed: file, ${IMPORT_FIELDS.join(', ')})`,
    );

  const mode = (fields.mode?.trim() || 'upsert') as ImportMode;
  if (!MODES.includes(mode)) throw DomainError.validation(`mode must be one of ${MODES.join(', ')} (got '${fields.mode}')`);

  let defaultCountry: string | undefined;
  if (fields.defaultCountry?.trim()) {
    defaultCountry = fields.defaultCountry.trim().toUpperCase();
    if (!isKnownCountry(defaultCountry))
      throw DomainError.validation(
        `defaultCountry '${fields.defaultCountry}' is not an ISO 3166 alpha-2 country code such as IN, US or BR`,
      );
  }

  const list = fields.list?.trim() || undefined;
  if (list && list.length > 191) throw DomainError.validation('list must be a name of at most 191 characters');

  const sheet = fields.sheet?.trim() || undefined;
  if (sheet && sheet.length > MAX_SHEET_NAME)
    throw DomainError.validation(`sheet must be a worksheet's name, at most ${MAX_SHEET_NAME} characters as in Excel`);

  const tags = parseTags(fields.tags);
  const mapping = fields.mapping?.trim() ? parseColumnMapping(fields.mapping) : undefined;
  return {
    mode,
    ...(defaultCountry ? { defaultCountry } : {}),
    ...(list ? { list } : {}),
    ...(tags.length ? { tags } : {}),
    ...(mapping ? { mapping } : {}),
    ...(sheet ? { sheet } : {}),
  };
}

function parseTags(raw: string | undefined): string[] {
  if (!raw?.trim()) return [];
  let values: unknown;
  if (raw.trim().startsWith('[')) {
    try {
      values = JSON.parse(raw);
    } catch {
      throw DomainError.validation('tags must be a comma-separated list or a JSON array of strings');
    }
  } else values = raw.split(',');
  if (!Array.isArray(values) || !values.every((t) => typeof t === 'string'))
    throw DomainError.validation('tags must be a comma-separated list or a JSON array of strings');
  const tags = [...new Set((values as string[]).map((t) => t.trim()).filter(Boolean))];
  if (tags.some((t) => t.length > 100)) throw DomainError.validation('each tag may have at most 100 characters');
  if (tags.length > MAX_IMPORT_TAGS) throw DomainError.validation(`at most ${MAX_IMPORT_TAGS} tags per import`);
  return tags;
}
