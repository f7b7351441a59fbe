import { Duration } from 'luxon';
import { DomainError } from '@clarion/common';

/** The longest delay a step may wait: a year keeps next_due_at arithmetic far from any limit. */
export const MAX_DELAY_SECONDS = 366 * 86_400;

const ALLOWED = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses a step delay: an ISO 8601 duration of days, hours, minutes and seconds ("PT0S", "PT15S",
 * "PT6H", "P2D", "P1DT12H"). Months and years are refused because their length depends on the
 * calendar; weeks are accepted as 7 days. Returns whole seconds.
 * Throws a validation DomainError naming the field.
 */
export function parseDelay(value: unknown, field = 'delay'): number {
  if (typeof value !== 'string' || value.trim() === '') {
    throw DomainError.validation(`${field} must be an ISO 8601 duration such as "PT0S", "PT15S", "PT6H" or "P2D"`);
  }
  const text = value
    .trim()
    .toUpperCase()
    .replace(/^P(\d+)W$/, (_, w: string) => `P${Number(w) * 7}D`);
  const m = ALLOWED.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    throw DomainError.validation(`${field} "${value}" is not a duration of days, hours, minutes or seconds (e.g. "PT15S", "PT6H", "P2D")`);
  }
  const seconds = Duration.fromISO(text).as('seconds');
  if (!Number.isFinite(seconds)) throw DomainError.validation(`${field} "${value}" is not a valid duration`);
  if (seconds > MAX_DELAY_SECONDS) throw DomainError.validation(`${field} "${value}" is longer than 366 days`);
  return Math.round(seconds);
}
