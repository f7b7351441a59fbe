import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '@clarion/common';

export type UpcomingBucket = 'hour' | 'day';

/** Due sends of one step in one bucket (an hour or a day of `timezone`). */
export interface UpcomingCount {
  start: Date;
  step: number;
  count: number;
}

export interface UpcomingSendsView {
  bucket: UpcomingBucket;
  timezone: string;
  from: Date;
  to: Date;
  /** Every active run due in the range, once (each waits for exactly one step). */
  total: number;
  data: UpcomingCount[];
}

export interface UpcomingQuery {
  days: number;
  bucket: UpcomingBucket;
  timezone: string;
}

/**
 * Quarter hours: every time zone in use starts its hours and days on a quarter hour (Nepal's
 * +05:45 included), so folding these slots into a zone's hours or days is exact.
 */
export const SLOT_MINUTES = 15;
export const MAX_UPCOMING_DAYS = 31;

export function checkUpcomingQuery(q: Partial<UpcomingQuery>): UpcomingQuery {
  const days = q.days ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > MAX_UPCOMING_DAYS)
    throw DomainError.validation(`days must be a whole number from 1 to ${MAX_UPCOMING_DAYS}`);
  const bucket = q.bucket ?? 'day';
  if (bucket !== 'hour' && bucket !== 'day') throw DomainError.validation('bucket must be hour or day');
  const timezone = q.timezone ?? 'UTC';
  if (!IANAZone.isValidZone(timezone))
    throw DomainError.validation(`timezone "${timezone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
  return { days, bucket, timezone };
}

/** Folds quarter-hour slots counted from `origin` (a quarter hour) into the zone's hours or days, in time order then step order. */
export function foldSlots(
  slots: Array<{ step: number; slot: number; count: number }>,
  origin: Date,
  bucket: UpcomingBucket,
  timezone: string,
): UpcomingCount[] {
  const counts = new Map<string, UpcomingCount>();
  for (const s of slots) {
    const at = DateTime.fromMillis(origin.getTime() + s.slot * SLOT_MINUTES * 60_000, { zone: timezone });
    const start = at.startOf(bucket).toJSDate();
    const key = `${start.getTime()}:${s.step}`;
    const entry = counts.get(key) ?? { start, step: s.step, count: 0 };
    entry.count += s.count;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || a.step - b.step);
}
