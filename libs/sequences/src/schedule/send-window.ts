import { DateTime } from 'luxon';
import { DomainError } from '@clarion/common';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Hours of the day and days of the week a step may go out, read in the contact's time zone.
 * `from`/`to` are "HH:mm" (to may be "24:00"); a window with `from` later than `to` runs
 * overnight (e.g. 22:00–06:00 belongs to the day it starts on).
 */
export interface SendWindow {
  days: Weekday[];
  from: string;
  to: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(text: unknown, field: string, allow24: boolean): number {
  if (allow24 && text === '24:00') return 24 * 60;
  const m = typeof text === 'string' ? HHMM.exec(text) : null;
  if (!m) throw DomainError.validation(`${field} must be a time of day "HH:mm" (e.g. "09:00")`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Checks and normalises a window (days lower-cased, de-duplicated, in week order). */
export function parseSendWindow(value: unknown): SendWindow {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw DomainError.validation('window must be an object { days: ["mon", …], from: "09:00", to: "18:00" }');
  }
  const raw = value as Record<string, unknown>;
  const unknownKeys = Object.keys(raw).filter((k) => !['days', 'from', 'to'].includes(k));
  if (unknownKeys.length) throw DomainError.validation(`window has unknown field(s): ${unknownKeys.join(', ')}`);
  const days = raw.days === undefined ? [...WEEKDAYS] : raw.days;
  if (!Array.isArray(days) || days.length === 0) throw DomainError.validation('window.days must be a non-empty array of "mon"…"sun"');
  const normalised = new Set<Weekday>();
  for (const d of days) {
    const day = typeof d === 'string' ? d.trim().toLowerCase().slice(0, 3) : '';
    if (!(WEEKDAYS as readonly string[]).includes(day))
      throw DomainError.validation(`window.days holds "${String(d)}"; use mon, tue, wed, thu, fri, sat, sun`);
    normalised.add(day as Weekday);
  }
  const from = minutesOf(raw.from, 'window.from', false);
  const to = minutesOf(raw.to, 'window.to', true);
  if (from === to) throw DomainError.validation('window.from and window.to must differ (use "00:00" to "24:00" for the whole day)');
  return { days: WEEKDAYS.filter((d) => normalised.has(d)), from: raw.from as string, to: raw.to as string };
}

/**
 * The earliest instant at or after `instant` that lies inside the window, in `zone`.
 * Each enabled day's interval is built from wall-clock times in the zone, so daylight-saving
 * changes move the UTC instants as they should (a 09:00 opening stays 09:00 local). A wall
 * time that does not exist on a spring-forward day is moved forward by luxon (02:30 → 03:30).
 */
export function nextOpening(instant: Date, window: SendWindow, zone: string): Date {
  const from = minutesOf(window.from, 'window.from', false);
  const to = minutesOf(window.to, 'window.to', true);
  const overnight = from > to;
  const t = instant.getTime();
  const local = DateTime.fromMillis(t, { zone });
  if (!local.isValid) throw DomainError.validation(`time zone "${zone}" is not known`);
  const enabled = new Set(window.days.map((d) => WEEKDAYS.indexOf(d) + 1));
  let best: number | null = null;
  // From the day before (an overnight window may still be open) to eight days ahead.
  for (let offset = -1; offset <= 8; offset++) {
    const day = local.startOf('day').plus({ days: offset });
    if (!enabled.has(day.weekday)) continue;
    const start = atMinutes(day, from);
    const end = overnight ? atMinutes(day.plus({ days: 1 }), to) : atMinutes(day, to);
    if (t >= start && t < end) return instant;
    if (start > t && (best === null || start < best)) best = start;
  }
  if (best === null) throw DomainError.validation('window has no opening in the coming week');
  return new Date(best);
}

/** Whether `instant` lies inside the window in `zone`. */
export function isInsideWindow(instant: Date, window: SendWindow, zone: string): boolean {
  return nextOpening(instant, window, zone).getTime() === instant.getTime();
}

function atMinutes(day: DateTime, minutes: number): number {
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}
