import { ErrorClass, WhatsAppError } from '@clarion/whatsapp';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  pairRateDelayMs: number;
}

/** What to do with one refused send. */
export type Decision =
  | { kind: 'retry'; delayMs: number; countsAsAttempt: boolean }
  | { kind: 'fail' }
  /** Stop the sender (auth broken, or Meta's spam limit): the recipient waits, uncounted. */
  | { kind: 'stop_sender'; reason: 'auth' | 'spam'; delayMs: number };

const MAX_BACKOFF_MS = 5 * 60_000;
const FREQUENCY_CAP_DELAY_MS = 24 * 3_600_000;
const THROUGHPUT_DELAY_MS = 1_000;

/** Exponential backoff with "equal jitter": half fixed, half random, so retries of one batch spread out. */
export function backoffMs(baseMs: number, attempt: number, random = Math.random): number {
  const exp = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/**
 * The error policy per class (see ErrorClass): transient → exponential backoff with jitter up to
 * `maxAttempts`; 130429 → retry soon (the limiter slows the sender); 131056 → that recipient later;
 * 131049 → not before 24 h; auth / 131048 → the sender stops; permanent → failed for good.
 * `attempts` is the number of attempts made before this one.
 */
export function decide(error: WhatsAppError, attempts: number, s: RetrySettings, random = Math.random): Decision {
  const attempt = attempts + 1;
  switch (error.errorClass) {
    case ErrorClass.Auth:
      return { kind: 'stop_sender', reason: 'auth', delayMs: 0 };
    case ErrorClass.SpamLimit:
      return { kind: 'stop_sender', reason: 'spam', delayMs: 0 };
    case ErrorClass.Throughput:
      // Not the recipient's fault: does not use up its attempts.
      return { kind: 'retry', delayMs: THROUGHPUT_DELAY_MS + Math.round(random() * THROUGHPUT_DELAY_MS), countsAsAttempt: false };
    case ErrorClass.PairRate:
      return attempt >= s.maxAttempts * 2
        ? { kind: 'fail' }
        : { kind: 'retry', delayMs: s.pairRateDelayMs + Math.round(random() * s.pairRateDelayMs * 0.5), countsAsAttempt: true };
    case ErrorClass.FrequencyCap:
      return attempt >= s.maxAttempts ? { kind: 'fail' } : { kind: 'retry', delayMs: FREQUENCY_CAP_DELAY_MS, countsAsAttempt: true };
    case ErrorClass.Transient:
      return attempt >= s.maxAttempts
        ? { kind: 'fail' }
        : { kind: 'retry', delayMs: backoffMs(s.baseDelayMs, attempt, random), countsAsAttempt: true };
    default:
      return { kind: 'fail' };
  }
}
