import { DomainError } from '@clarion/common';
import type { Audience } from '@clarion/contacts';

/** Recipient statuses an earlier broadcast's audience can be taken by (the words of the statistics). */
export const RETARGET_STATUSES = ['queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped', 'cancelled'] as const;
export type RetargetStatus = (typeof RETARGET_STATUSES)[number];

/**
 * The recipients of an earlier broadcast in some statuses: `["delivered"]` reaches who did not read,
 * `["failed"]` retries the failures, `["replied"]` follows up who wrote back. A recipient's status is
 * the furthest it reached (delivered means delivered and not read); `replied` is any recipient who
 * wrote back. `retryable: true` (what retry-failed sets) keeps only failures a new send can fix.
 */
export interface RetargetAudience {
  broadcastId: number;
  statuses: RetargetStatus[];
  retryable?: true;
}

/** Who a broadcast goes to: a contacts audience, or the recipients of an earlier broadcast. */
export type BroadcastAudience = Audience | RetargetAudience;

export function isRetargetAudience(audience: unknown): audience is RetargetAudience {
  return !!audience && typeof audience === 'object' && 'broadcastId' in audience;
}

/** Checks a `{ broadcastId, statuses }` audience's shape; returns it normalised (statuses de-duplicated, in a fixed order). */
export function parseRetargetAudience(value: Record<string, unknown>): RetargetAudience {
  const unknown = Object.keys(value).filter((k) => !['broadcastId', 'statuses', 'retryable'].includes(k));
  if (unknown.length)
    throw DomainError.validation(`audience with broadcastId takes statuses and retryable only (got ${unknown.join(', ')})`);
  const id = value.broadcastId;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
    throw DomainError.validation('audience.broadcastId must be a positive integer');
  const statuses = value.statuses;
  if (!Array.isArray(statuses) || statuses.length === 0)
    throw DomainError.validation(`audience.statuses must be a non-empty array of ${RETARGET_STATUSES.join(', ')}`);
  const bad = statuses.filter((s) => !(RETARGET_STATUSES as readonly unknown[]).includes(s));
  if (bad.length)
    throw DomainError.validation(
      `audience.statuses: ${bad.map((s) => JSON.stringify(s)).join(', ')} is not one of ${RETARGET_STATUSES.join(', ')}`,
    );
  if (value.retryable !== undefined && typeof value.retryable !== 'boolean')
    throw DomainError.validation('audience.retryable must be true or false');
  return {
    broadcastId: id,
    statuses: RETARGET_STATUSES.filter((s) => statuses.includes(s)),
    ...(value.retryable === true ? { retryable: true as const } : {}),
  };
}
