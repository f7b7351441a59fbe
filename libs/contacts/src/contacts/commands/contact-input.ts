import { DomainError } from '@clarion/common';
import { normalisePhone } from '../../imports/parsing/phone';

/** E.164 of a phone typed any way, or a validation error naming the field. */
export function phoneOrThrow(raw: string, defaultCountry?: string): { e164: string; country: string | null } {
  const result = normalisePhone(raw, defaultCountry?.toUpperCase());
  if (!result.ok) throw DomainError.validation(`phone: ${result.reason}`);
  return { e164: result.e164, country: result.country };
}

/** Attribute values are text (they fill template variables); null removes a key in a PATCH. */
export function checkAttributes(attributes: Record<string, unknown>, allowNull: boolean): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (!key || key.length > 255) throw DomainError.validation('attributes: names must have 1 to 255 characters');
    if (value === null && allowNull) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw DomainError.validation(`attributes.${key} must be text${allowNull ? ' (or null to remove it)' : ''}`);
    }
  }
}

export function cleanTags(tags: string[]): string[] {
  const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (clean.some((t) => t.length > 100)) throw DomainError.validation('tags: each tag may have at most 100 characters');
  return clean;
}

export function stringify(attributes: Record<string, unknown>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v === null ? null : String(v)]));
}
