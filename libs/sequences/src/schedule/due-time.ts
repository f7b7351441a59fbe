import type { StepSend } from '../ports/step-broadcasts.port';
import { nextOpening, SendWindow } from './send-window';

/**
 * When a step falls due: `delaySeconds` after its anchor (the enrolment for the first step, when
 * the previous step was handed to dispatch for the others), moved to the window's next opening in
 * `zone` when it would land outside the window.
 */
export function dueAt(anchor: Date, delaySeconds: number, window: SendWindow | null, zone: string): Date {
  const raw = new Date(anchor.getTime() + delaySeconds * 1000);
  return window ? nextOpening(raw, window, zone) : raw;
}

/** The longest a run waits before asking again about a previous step dispatch still holds. */
const MAX_RECHECK_MS = 60_000;

/**
 * When a step whose provisional due time has come may really go: `delaySeconds` after WhatsApp
 * accepted the previous step, which quota, the throughput cap or a paused broadcast may have held
 * long past its own due time. A previous step still waiting in dispatch is asked about again a
 * fraction of the delay later; one that never went out (failed, skipped, withdrawn) holds nothing.
 */
export function dueAfterPreviousSend(
  previous: StepSend | undefined,
  delaySeconds: number,
  window: SendWindow | null,
  zone: string,
  now: Date,
): Date {
  if (previous?.acceptedAt) return dueAt(previous.acceptedAt, delaySeconds, window, zone);
  if (!previous || previous.settled) return now;
  const recheckMs = Math.min(MAX_RECHECK_MS, Math.max(1_000, delaySeconds * 250));
  return new Date(now.getTime() + recheckMs);
}
