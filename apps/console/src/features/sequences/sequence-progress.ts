import type { Sequence } from '../../api/types';

/** One place a contact's run can be: waiting for a step, or ended one way or another. */
export interface RunBucket {
  key: string;
  label: string;
  count: number;
  /** Share of every run this sequence has had; null when it has had none. */
  share: number | null;
}

/**
 * Where contacts are now: each active run waits for exactly one step, so the waiting counts of
 * the steps add up to the active runs; the rest have completed, stopped or were unenrolled.
 */
export function runBuckets(sequence: Pick<Sequence, 'steps' | 'enrollments'>): RunBucket[] {
  const { active, completed, stopped, unenrolled } = sequence.enrollments;
  const total = active + completed + stopped + unenrolled;
  const share = (n: number) => (total > 0 ? n / total : null);
  const waiting = sequence.steps.map((step) => ({
    key: `step-${step.position}`,
    label: `Waiting for step ${step.position}`,
    count: step.waiting,
    share: share(step.waiting),
  }));
  return [
    ...waiting,
    { key: 'completed', label: 'Completed every step', count: completed, share: share(completed) },
    { key: 'stopped', label: 'Stopped (reply, opt-out or stop rule)', count: stopped, share: share(stopped) },
    { key: 'unenrolled', label: 'Unenrolled', count: unenrolled, share: share(unenrolled) },
  ];
}

export function totalRuns(sequence: Pick<Sequence, 'enrollments'>): number {
  const { active, completed, stopped, unenrolled } = sequence.enrollments;
  return active + completed + stopped + unenrolled;
}

const UNITS: Array<[string, string]> = [
  ['Y', 'year'],
  ['M', 'month'],
  ['W', 'week'],
  ['D', 'day'],
  ['H', 'hour'],
  ['MIN', 'minute'],
  ['S', 'second'],
];

/**
 * An ISO 8601 duration as people say it: "P2D" → "2 days", "PT1H30M" → "1 hour 30 minutes",
 * "PT0S" → "at once". Anything else is shown as it is.
 */
export function describeDelay(iso: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return iso;
  const parts = m
    .slice(1)
    .map((v, i) => [v === undefined ? 0 : Number(v), UNITS[i][1]] as const)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return parts.length ? parts.join(' ') : 'at once';
}

/** The list's filters, kept in the URL (search by name, status). */
export interface SequenceFilters {
  search: string;
  status: 'active' | 'paused' | null;
}

export function parseSequenceFilters(params: URLSearchParams): SequenceFilters {
  const status = params.get('status');
  return { search: (params.get('search') ?? '').trim(), status: status === 'active' || status === 'paused' ? status : null };
}

export function sequenceSearchParams(filters: SequenceFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (filters.search) p.set('search', filters.search);
  if (filters.status) p.set('status', filters.status);
  return p;
}
