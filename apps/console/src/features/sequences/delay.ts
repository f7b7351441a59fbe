import { describeDelay } from './sequence-progress';

/** The units a step's delay is entered in, largest first. */
export const DELAY_UNITS = ['days', 'hours', 'minutes'] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];

export interface DelayInput {
  amount: number;
  unit: DelayUnit;
}

const SECONDS: Record<DelayUnit, number> = { days: 86_400, hours: 3_600, minutes: 60 };

/** A delay as the API stores it: 2 days → "P2D", 6 hours → "PT6H", nothing → "PT0S". */
export function delayToIso({ amount, unit }: DelayInput): string {
  if (!Number.isFinite(amount) || amount <= 0) return 'PT0S';
  const n = Math.floor(amount);
  if (unit === 'days') return `P${n}D`;
  return unit === 'hours' ? `PT${n}H` : `PT${n}M`;
}

/**
 * The other way, for editing: the largest unit the duration is a whole number of ("P1DT12H" →
 * 36 hours). Null for what the form cannot show (seconds that are not whole minutes, months).
 */
export function isoToDelay(iso: string): DelayInput | null {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso.trim().toUpperCase());
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  const [w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  const seconds = ((w * 7 + d) * 24 + h) * 3_600 + min * 60 + s;
  if (seconds === 0) return { amount: 0, unit: 'days' };
  const unit = DELAY_UNITS.find((u) => seconds % SECONDS[u] === 0);
  return unit ? { amount: seconds / SECONDS[unit], unit } : null;
}

/**
 * When a step goes out, in words: "at enrolment" (first step, no delay), "2 days after enrolment",
 * "right after the previous step", "2 days after the previous step".
 */
export function delayInWords(iso: string, position: number): string {
  const amount = describeDelay(iso);
  if (position <= 1) return amount === 'at once' ? 'at enrolment' : `${amount} after enrolment`;
  return amount === 'at once' ? 'right after the previous step' : `${amount} after the previous step`;
}
