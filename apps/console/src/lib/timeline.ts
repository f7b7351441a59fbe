import { zonedParts } from './time';

/** A broadcast's figures over time: per minute for a short campaign, per hour for a long one. */
export type Bucket = 'minute' | 'hour';

export interface MinuteFigures {
  /** Start of the UTC minute (ISO 8601). */
  minute: string;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface TimelinePoint {
  /** Start of the bucket (epoch ms). */
  at: number;
  label: string;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Campaigns whose events span up to this long are drawn per minute (at most 180 points), longer ones per hour. */
export const MINUTE_BUCKETS_UP_TO_MS = 3 * HOUR;

/** Gaps are filled with zeros up to this many points (a quiet minute is a zero, not a line across it). */
const MAX_FILLED_POINTS = 5_000;

/** The bucket for a series: minutes when its first and last events are at most 3 hours apart, else hours. */
export function chooseBucket(series: ReadonlyArray<Pick<MinuteFigures, 'minute'>>): Bucket {
  if (series.length < 2) return 'minute';
  const times = series.map((m) => Date.parse(m.minute));
  const span = Math.max(...times) - Math.min(...times);
  return span <= MINUTE_BUCKETS_UP_TO_MS ? 'minute' : 'hour';
}

/**
 * The start of `at`'s bucket. Hours are the viewer's wall-clock hours (in a zone half an hour off
 * UTC, such as Asia/Kolkata, an hour starts at :30 UTC).
 */
export function bucketStart(at: number, bucket: Bucket, zone: string): number {
  const minuteStart = Math.floor(at / MINUTE) * MINUTE;
  if (bucket === 'minute') return minuteStart;
  return minuteStart - zonedParts(new Date(minuteStart), zone).minute * MINUTE;
}

function bucketLabel(at: number, bucket: Bucket, zone: string, withDay: boolean): string {
  const p = zonedParts(new Date(at), zone);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  if (!withDay && bucket === 'minute') return time;
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short' }).format(new Date(at));
  return `${day} ${time}`;
}

/** Per-minute figures summed into buckets, in time order, quiet buckets between the first and last as zeros (and around a campaign of one or two buckets). */
export function timeline(series: readonly MinuteFigures[], bucket: Bucket, zone: string): TimelinePoint[] {
  const sums = new Map<number, TimelinePoint>();
  for (const m of series) {
    const at = bucketStart(Date.parse(m.minute), bucket, zone);
    const point = sums.get(at) ?? { at, label: '', sent: 0, delivered: 0, read: 0, failed: 0 };
    point.sent += m.sent;
    point.delivered += m.delivered;
    point.read += m.read;
    point.failed += m.failed;
    sums.set(at, point);
  }
  if (sums.size === 0) return [];
  const keys = [...sums.keys()].sort((a, b) => a - b);
  const first = keys[0];
  const last = keys[keys.length - 1];
  const step = bucket === 'minute' ? MINUTE : HOUR;
  // Hour starts keep their wall-clock minute, so stepping by an hour from the first lands on each of them.
  if ((last - first) / step < MAX_FILLED_POINTS) {
    for (let at = first; at < last; at += step) {
      const aligned = bucketStart(at, bucket, zone);
      if (!sums.has(aligned)) sums.set(aligned, { at: aligned, label: '', sent: 0, delivered: 0, read: 0, failed: 0 });
    }
  }
  // A campaign over in a minute or two would be a lone dot: a quiet bucket either side draws its peak.
  if (sums.size < 3) {
    for (const at of [bucketStart(first - 1, bucket, zone), bucketStart(last + step, bucket, zone)])
      sums.set(at, { at, label: '', sent: 0, delivered: 0, read: 0, failed: 0 });
  }
  const points = [...sums.values()].sort((a, b) => a.at - b.at);
  const withDay = zonedDay(points[0].at, zone) !== zonedDay(points[points.length - 1].at, zone);
  return points.map((p) => ({ ...p, label: bucketLabel(p.at, bucket, zone, withDay) }));
}

function zonedDay(at: number, zone: string): string {
  const p = zonedParts(new Date(at), zone);
  return `${p.year}-${p.month}-${p.day}`;
}
