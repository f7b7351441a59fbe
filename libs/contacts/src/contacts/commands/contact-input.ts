import { DomainError } from '@clarion/common';
import { normalisePhone } from '../../imports/parsing/phone';
import { ATTRIBUTE_LIMITS, attributeCapBreach, tooManyAttributes } from '../attribute-limits';

/** E.164 of a phone typed any way, or a validation error naming the field. */
export function phoneOrThrow(raw: string, defaultCountry?: string): { e164: string; country: string | null } {
  const result = normalisePhone(raw, defaultCountry?.toUpperCase());
  if (!result.ok) throw DomainError.validation(`phone: ${result.reason}`);
  return { e164: result.e164, country: result.country };
}

/**
 * Attribute values are text (they fill template variables); null removes a key in a PATCH.
 * Names and values are held to ATTRIBUTE_LIMITS; so is the count of what is given (a merge
 * with stored attributes is checked where it happens).
 */
export function checkAttributes(attributes: Record<string, unknown>, allowNull: boolean): void {
  const entries = Object.entries(attributes);
  if (entries.length > ATTRIBUTE_LIMITS.perContact) throw DomainError.validation(`attributes: ${tooManyAttributes(entries.length)}`);
  for (const [key, value] of entries) {
    if (!key) throw DomainError.validation('attributes: names must not be empty');
    if (value === null && allowNull) {
      const breach = attributeCapBreach(key, null);
      if (breach) throw DomainError.validation(`attributes: ${breach}`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw DomainError.validation(`attributes.${key} must be text${allowNull ? ' (or null to remove it)' : ''}`);
    }
    const breach = attributeCapBreach(key, String(value));
    if (breach) throw DomainError.validation(`attributes: ${breach}`);
  }
}

/** Refuses a merge that would leave a contact with more attributes than the cap. */
export function checkMergedCount(stored: Record<string, unknown> | null, patch: Record<string, unknown>): void {
  const keys = new Set(Object.keys(stored ?? {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) keys.delete(key);
    else keys.add(key);
  }
  if (keys.size > ATTRIBUTE_LIMITS.perContact) throw DomainError.validation(`attributes: ${tooManyAttributes(keys.size)}`);
}

export function cleanTags(tags: string[]): string[] {
  const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (clean.some((t) => t.length > 100)) throw DomainError.validation('tags: each tag may have at most 100 characters');
  return clean;
}

export function stringify(attributes: Record<string, unknown>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v === null ? null : String(v)]));
}
