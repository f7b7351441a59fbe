import { addDays, startOfDayIn, todayIn } from '../../lib/time';

/** The dashboard's range, in its URL: `?range=today|7d|30d` or `?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD`. */
export type RangeKind = 'today' | '7d' | '30d' | 'custom';

export interface DashboardRange {
  kind: RangeKind;
  /** Viewer-zone dates, both included (custom only). */
  from: string | null;
  to: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRange(params: URLSearchParams): DashboardRange {
  const kind = params.get('range');
  const from = params.get('from');
  const to = params.get('to');
  if (kind === 'custom' && from && to && DATE.test(from) && DATE.test(to) && from <= to) return { kind, from, to };
  if (kind === 'today' || kind === '30d') return { kind, from: null, to: null };
  return { kind: '7d', from: null, to: null };
}

export function rangeSearchParams(r: DashboardRange): URLSearchParams {
  const p = new URLSearchParams();
  if (r.kind !== '7d') p.set('range', r.kind);
  if (r.kind === 'custom' && r.from && r.to) {
    p.set('from', r.from);
    p.set('to', r.to);
  }
  return p;
}

/** The instants the API is asked about: whole days in the viewer's zone (the presets end with today). */
export function rangeInstants(r: DashboardRange, zone: string, now: Date = new Date()): { from: string; to: string } {
  const today = todayIn(zone, now);
  if (r.kind === 'custom' && r.from && r.to) {
    return { from: startOfDayIn(r.from, zone).toISOString(), to: startOfDayIn(addDays(r.to, 1), zone).toISOString() };
  }
  const days = r.kind === 'today' ? 0 : r.kind === '7d' ? 6 : 29;
  return { from: startOfDayIn(addDays(today, -days), zone).toISOString(), to: startOfDayIn(addDays(today, 1), zone).toISOString() };
}
