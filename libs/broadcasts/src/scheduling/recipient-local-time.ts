import { DateTime } from 'luxon';
import { DomainError } from '@clarion/common';
import { isValidZone } from '@clarion/contacts';

/** What happens to a recipient whose local `scheduledAt` time has already passed at fan-out. */
export type LocalTimePassed = 'now' | 'next_day';
export const LOCAL_TIME_PASSED: readonly LocalTimePassed[] = ['now', 'next_day'];

/** `{ from: "21:00", to: "08:00" }`: hours of the recipient's own clock in which nothing is sent (may span midnight). */
export interface QuietHours {
  from: string;
  to: string;
}

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number };

/** The zones furthest ahead of and behind UTC (Kiribati's Line Islands, Baker Island). */
const EARLIEST_ZONE = 'UTC+14';
const LATEST_ZONE = 'UTC-12';

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Seconds since midnight of "HH:MM" (or "HH:MM:SS"), or null when it is not such a time. */
function secondsOf(clock: unknown): number | null {
  const m = typeof clock === 'string' ? CLOCK.exec(clock) : null;
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : null;
}

/** Validates a broadcast's quietHours (400 naming the field); null when absent. */
export function parseQuietHours(value: unknown): QuietHours | null {
  if (value === undefined || value === null) return null;
  const v = value as Partial<QuietHours>;
  const from = secondsOf(v.from);
  const to = secondsOf(v.to);
  if (from === null) throw DomainError.validation('quietHours.from must be a time of day such as "21:00"');
  if (to === null) throw DomainError.validation('quietHours.to must be a time of day such as "08:00"');
  if (from === to) throw DomainError.validation('quietHours.from and quietHours.to must differ');
  return { from: v.from!, to: v.to! };
}

/** Validates a broadcast's fallback time zone; null when absent. */
export function parseBroadcastZone(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!isValidZone(value)) throw DomainError.validation(`timezone "${String(value)}" is not an IANA time zone such as "Asia/Kolkata"`);
  return value;
}

/** A broadcast's timing settings, checked (400 naming the field). */
export function parseTiming(cmd: { sendAt?: unknown; localTimePassed?: unknown; quietHours?: unknown; timezone?: unknown }): {
  sendAt: 'recipient_local' | null;
  localTimePassed: LocalTimePassed | null;
  quietHours: QuietHours | null;
  timezone: string | null;
} {
  if (cmd.sendAt !== undefined && cmd.sendAt !== null && cmd.sendAt !== 'immediate' && cmd.sendAt !== 'recipient_local')
    throw DomainError.validation('sendAt must be "immediate" or "recipient_local"');
  const local = cmd.sendAt === 'recipient_local';
  const passed = cmd.localTimePassed ?? null;
  if (passed !== null && !LOCAL_TIME_PASSED.includes(passed as LocalTimePassed))
    throw DomainError.validation('localTimePassed must be "now" or "next_day"');
  if (passed !== null && !local) throw DomainError.validation('localTimePassed: only with sendAt "recipient_local"');
  return {
    sendAt: local ? 'recipient_local' : null,
    localTimePassed: local ? ((passed as LocalTimePassed | null) ?? 'now') : null,
    quietHours: parseQuietHours(cmd.quietHours),
    timezone: parseBroadcastZone(cmd.timezone),
  };
}

/**
 * When a broadcast's launch (fan-out) starts: at scheduledAt, or for recipient-local time when the
 * zone furthest ahead reaches the wall-clock time (never before now).
 */
export function launchTimeOf(b: { scheduledAt: Date; sendAt: string | null; timezone: string | null }, now = new Date()): Date {
  if (b.sendAt !== 'recipient_local') return b.scheduledAt;
  const first = earliestLocalSend(wallClockOf(b.scheduledAt, b.timezone));
  return first.getTime() > now.getTime() ? first : now;
}

/** The wall-clock time `scheduledAt` shows in the broadcast's zone (UTC when it has none). */
export function wallClockOf(scheduledAt: Date, broadcastZone: string | null): Wall {
  const t = DateTime.fromJSDate(scheduledAt, { zone: broadcastZone ?? 'UTC' });
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, millisecond: t.millisecond };
}

/** When the first recipient anywhere can be due: the wall-clock time in the zone furthest ahead. */
export function earliestLocalSend(wall: Wall): Date {
  return DateTime.fromObject(wall, { zone: EARLIEST_ZONE }).toJSDate();
}

/** When the last recipient anywhere is due: the wall-clock time in the zone furthest behind. */
export function latestLocalSend(wall: Wall): Date {
  return DateTime.fromObject(wall, { zone: LATEST_ZONE }).toJSDate();
}

/**
 * The instant a recipient in `zone` is due: when their clock shows `wall`. Already passed at
 * `now`: null (send now) under `"now"`, the same time the next day under `"next_day"`. A wall
 * time that does not exist that day (a DST gap) is moved forward by the gap, as luxon does.
 */
export function localSendAt(wall: Wall, zone: string, now: Date, passed: LocalTimePassed): Date | null {
  const at = DateTime.fromObject(wall, { zone });
  if (at.toMillis() > now.getTime()) return at.toJSDate();
  if (passed === 'now') return null;
  const next = at.plus({ days: 1 });
  return next.toMillis() > now.getTime() ? next.toJSDate() : null;
}

/**
 * When the quiet hours holding a recipient in `zone` at `at` end, or null when `at` is outside
 * them. `from` is inside, `to` is not; hours spanning midnight (21:00–08:00) hold from `from`
 * to `to` of the next day.
 */
export function quietUntil(at: Date, zone: string, quiet: QuietHours): Date | null {
  const from = secondsOf(quiet.from)!;
  const to = secondsOf(quiet.to)!;
  const local = DateTime.fromJSDate(at, { zone });
  const now = local.hour * 3600 + local.minute * 60 + local.second;
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  const midnight = local.startOf('day');
  let end = midnight.set({ hour: Math.floor(to / 3600), minute: Math.floor((to % 3600) / 60), second: to % 60 });
  if (end <= local)
    end = midnight.plus({ days: 1 }).set({ hour: Math.floor(to / 3600), minute: Math.floor((to % 3600) / 60), second: to % 60 });
  return end.toJSDate();
}
