import type { BroadcastDetails } from '../../api/types';
import { funnel } from '../../lib/funnel';
import { type Bucket, chooseBucket, type MinuteFigures } from '../../lib/timeline';

/** The compared broadcasts live in the URL (`/compare?ids=12,15`), in the order picked, so a link shares the comparison. */
export const MAX_COMPARED = 6;

export function parseCompareIds(params: URLSearchParams): number[] {
  const ids = (params.get('ids') ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return [...new Set(ids)].slice(0, MAX_COMPARED);
}

export function compareSearchParams(ids: readonly number[]): URLSearchParams {
  const p = new URLSearchParams();
  const unique = [...new Set(ids)].slice(0, MAX_COMPARED);
  if (unique.length) p.set('ids', unique.join(','));
  return p;
}

/** One row of the side-by-side table: a figure, or a rate (null: nothing to divide by). */
export interface CompareRow {
  key: string;
  label: string;
  kind: 'count' | 'rate' | 'money';
  values: Array<number | null>;
  /** Index of the best value (highest rate, lowest failure rate), when at least two differ. */
  best: number | null;
}

type Figures = Pick<BroadcastDetails, 'stats' | 'rates'> & { cost: number | null };

export function compareRows(broadcasts: readonly Figures[]): CompareRow[] {
  const row = (key: string, label: string, kind: CompareRow['kind'], get: (b: Figures) => number | null, better?: 'high' | 'low') => {
    const values = broadcasts.map(get);
    return { key, label, kind, values, best: better ? bestIndex(values, better) : null };
  };
  return [
    row('total', 'Recipients', 'count', (b) => b.stats.total),
    row('sent', 'Sent', 'count', (b) => b.stats.sent),
    row('delivered', 'Delivered', 'count', (b) => b.stats.delivered),
    row('deliveryRate', 'Delivery rate (of sent)', 'rate', (b) => b.rates.deliveryRate, 'high'),
    row('read', 'Read', 'count', (b) => b.stats.read),
    row('readRate', 'Read rate (of delivered)', 'rate', (b) => b.rates.readRate, 'high'),
    row('replied', 'Replied', 'count', (b) => b.stats.replied),
    row('replyRate', 'Reply rate (of delivered)', 'rate', (b) => b.rates.replyRate, 'high'),
    row('failed', 'Failed', 'count', (b) => b.stats.failed),
    row('failureRate', 'Failure rate (of attempted)', 'rate', (b) => b.rates.failureRate, 'low'),
    row('skipped', 'Skipped', 'count', (b) => b.stats.skipped),
    row('cost', 'Cost (delivered conversations)', 'money', (b) => b.cost),
  ];
}

function bestIndex(values: Array<number | null>, better: 'high' | 'low'): number | null {
  const present = values.map((v, i) => [v, i] as const).filter((e): e is readonly [number, number] => e[0] !== null);
  if (present.length < 2 || present.every(([v]) => v === present[0][0])) return null;
  const [, index] = present.reduce((a, b) => ((better === 'high' ? b[0] > a[0] : b[0] < a[0]) ? b : a));
  return index;
}

/** The funnel of each broadcast as shares of its sent messages, one chart row per step. */
export function funnelShares(
  broadcasts: ReadonlyArray<{ key: string; stats: BroadcastDetails['stats'] }>,
): Array<Record<string, number | string>> {
  const steps = broadcasts.map((b) => funnel(b.stats));
  return ['Sent', 'Delivered', 'Read', 'Replied'].map((label, i) => {
    const point: Record<string, number | string> = { step: label };
    broadcasts.forEach((b, j) => {
      point[b.key] = Math.round((steps[j][i].ofSent ?? 0) * 1000) / 10;
    });
    return point;
  });
}

/**
 * Delivered messages over time since each broadcast's first event, cumulative, so broadcasts sent
 * on different days compare by pace: one row per elapsed minute (or hour, when the longest ran for
 * more than three hours).
 */
export function paceSeries(broadcasts: ReadonlyArray<{ key: string; series: readonly MinuteFigures[] }>): {
  bucket: Bucket;
  points: Array<Record<string, number | string>>;
} {
  const longest = broadcasts.reduce<readonly MinuteFigures[]>((a, b) => (spanOf(b.series) > spanOf(a) ? b.series : a), []);
  const bucket = chooseBucket(longest);
  const step = bucket === 'minute' ? 60_000 : 3_600_000;
  const perBroadcast = broadcasts.map((b) => {
    const start = Math.min(...b.series.map((m) => Date.parse(m.minute)));
    const sums = new Map<number, number>();
    for (const m of b.series) {
      const i = Math.floor((Date.parse(m.minute) - start) / step);
      sums.set(i, (sums.get(i) ?? 0) + m.delivered);
    }
    return sums;
  });
  const length = Math.max(0, ...perBroadcast.map((s) => (s.size ? Math.max(...s.keys()) + 1 : 0)));
  const totals = broadcasts.map(() => 0);
  // Each point is what was delivered by the end of that many minutes (or hours), from 0 at the start.
  const points: Array<Record<string, number | string>> = [];
  if (length > 0) points.push(Object.fromEntries([['elapsed', 'start'], ...broadcasts.map((b) => [b.key, 0])]));
  for (let i = 0; i < length; i++) {
    const point: Record<string, number | string> = { elapsed: bucket === 'minute' ? `+${i + 1} min` : `+${i + 1} h` };
    broadcasts.forEach((b, j) => {
      totals[j] += perBroadcast[j].get(i) ?? 0;
      point[b.key] = totals[j];
    });
    points.push(point);
  }
  return { bucket, points };
}

function spanOf(series: readonly MinuteFigures[]): number {
  if (series.length < 2) return series.length ? 0 : -1;
  const t = series.map((m) => Date.parse(m.minute));
  return Math.max(...t) - Math.min(...t);
}
