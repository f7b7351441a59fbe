import { DomainError } from '@clarion/common';
import type { ContactCore } from '../contacts/contact-view';

/**
 * Who a broadcast or sequence goes to. `tags` means contacts having ANY of the tags (a union,
 * not an intersection); `contactIds` is an explicit list (at most MAX_AUDIENCE_CONTACT_IDS).
 */
export type Audience = { listId: number } | { importId: number } | { tags: string[] } | { contactIds: number[] };

/** A contact as a sender needs it: the attributes feed template variables. */
export type AudienceContact = ContactCore;

export const MAX_AUDIENCE_CONTACT_IDS = 100_000;
export const MAX_AUDIENCE_TAGS = 50;

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * Checks an audience's shape (not whether its list/import exists) and returns it normalised:
 * tags trimmed and de-duplicated, contact ids sorted and de-duplicated.
 * Throws a validation DomainError naming what is wrong.
 */
export function parseAudience(value: unknown): Audience {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw DomainError.validation('audience must be one of { listId }, { importId }, { tags: [...] } or { contactIds: [...] }');
  }
  const keys = Object.keys(value);
  if (keys.length !== 1 || !['listId', 'importId', 'tags', 'contactIds'].includes(keys[0])) {
    throw DomainError.validation(
      `audience must have exactly one of listId, importId, tags, contactIds (got ${keys.join(', ') || 'nothing'})`,
    );
  }
  const v = value as Record<string, unknown>;
  if ('listId' in v) {
    if (!isPositiveInt(v.listId)) throw DomainError.validation('audience.listId must be a positive integer');
    return { listId: v.listId };
  }
  if ('importId' in v) {
    if (!isPositiveInt(v.importId)) throw DomainError.validation('audience.importId must be a positive integer');
    return { importId: v.importId };
  }
  if ('tags' in v) {
    const tags = v.tags;
    if (!Array.isArray(tags) || tags.length === 0) throw DomainError.validation('audience.tags must be a non-empty array of tag names');
    const clean = new Set<string>();
    for (const tag of tags) {
      if (typeof tag !== 'string' || !tag.trim() || tag.trim().length > 100) {
        throw DomainError.validation('audience.tags must hold non-empty strings of at most 100 characters');
      }
      clean.add(tag.trim());
    }
    if (clean.size > MAX_AUDIENCE_TAGS) throw DomainError.validation(`audience.tags may hold at most ${MAX_AUDIENCE_TAGS} tags`);
    return { tags: [...clean] };
  }
  const ids = v.contactIds;
  if (!Array.isArray(ids) || ids.length === 0) throw DomainError.validation('audience.contactIds must be a non-empty array of contact ids');
  if (ids.length > MAX_AUDIENCE_CONTACT_IDS) {
    throw DomainError.validation(`audience.contactIds may hold at most ${MAX_AUDIENCE_CONTACT_IDS} ids; put more contacts in a list`);
  }
  if (!ids.every(isPositiveInt)) throw DomainError.validation('audience.contactIds must hold positive integers');
  return { contactIds: [...new Set(ids as number[])].sort((a, b) => a - b) };
}
