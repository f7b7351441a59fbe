import type { ResolvedMapping } from './column-mapping';
import { ATTRIBUTE_LIMITS, attributeCapBreach, tooManyAttributes } from '../../contacts/attribute-limits';
import { normalisePhone, PhoneResult } from './phone';

/** A row that passed validation, ready to be written. */
export interface ContactDraft {
  row: number;
  phone: string;
  country: string | null;
  name: string | null;
  /** JSON text of the attributes (non-empty cells only), or null. */
  attributes: string | null;
  /** The parsed cells, kept to show the row if the writer rejects it (mode create/update). */
  fields: string[];
}

export type RowResult = { ok: true; draft: ContactDraft } | { ok: false; reason: string };

const MAX_NAME = 255;

/** The record's phone in E.164 (its phone cell, with its country-code cell when the sheet splits them). */
export function rowPhone(fields: string[], mapping: ResolvedMapping, defaultCountry: string | undefined): PhoneResult {
  return normalisePhone(fields[mapping.phone], defaultCountry, mapping.countryCode === null ? undefined : fields[mapping.countryCode]);
}

/**
 * Turns one parsed CSV record into a contact draft or a reason a marketer understands.
 * Empty cells add no attribute (so an upsert never blanks a value with an empty cell).
 */
export function validateRow(fields: string[], row: number, mapping: ResolvedMapping, defaultCountry: string | undefined): RowResult {
  const expected = mapping.headers.length;
  if (fields.length !== expected) {
    return { ok: false, reason: `row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${expected}` };
  }
  const phone = rowPhone(fields, mapping, defaultCountry);
  if (!phone.ok) return phone;

  let name: string | null = null;
  if (mapping.name.length === 1) name = fields[mapping.name[0]].trim() || null;
  else if (mapping.name.length > 1)
    name =
      mapping.name
        .map((i) => fields[i].trim())
        .filter(Boolean)
        .join(' ') || null;
  if (name && name.length > MAX_NAME) name = name.slice(0, MAX_NAME);

  // JSON written directly (keys pre-encoded): a million rows allocate no intermediate objects
  // A cell breaking an attribute cap rejects its row with the cap's name (never a silent cut).
  let attributes = '';
  let count = 0;
  for (const { index, key, jsonKey } of mapping.attributes) {
    const value = fields[index];
    if (value === '' || value === undefined) continue;
    const trimmed = value.trim();
    if (!trimmed) continue;
    const breach = attributeCapBreach(key, trimmed);
    if (breach) return { ok: false, reason: breach };
    if (++count > ATTRIBUTE_LIMITS.perContact) continue;
    attributes += `${attributes ? ',' : '{'}${jsonKey}:${JSON.stringify(trimmed)}`;
  }
  if (count > ATTRIBUTE_LIMITS.perContact) return { ok: false, reason: tooManyAttributes(count) };
  return {
    ok: true,
    draft: { row, phone: phone.e164, country: phone.country, name, attributes: attributes ? `${attributes}}` : null, fields },
  };
}
