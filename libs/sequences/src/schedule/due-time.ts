import { nextOpening, SendWindow } from './send-window';

/**
 * When a step falls due: `delaySeconds` after its anchor (the enrolment for the first step,
 * the previous step's due time for the others), moved to the window's next opening in `zone`
 * when it would land outside the window.
 */
export function dueAt(anchor: Date, delaySeconds: number, window: SendWindow | null, zone: string): Date {
  const raw = new Date(anchor.getTime() + delaySeconds * 1000);
  return window ? nextOpening(raw, window, zone) : raw;
}
