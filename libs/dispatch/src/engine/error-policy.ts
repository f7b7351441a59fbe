import type { ErrorPolicy } from '@clarion/broadcasts';

/** A broadcast's sends since it started or last resumed, as the error policy counts them. */
export interface PolicyFigures {
  /** Refused at once, or accepted and then reported failed by webhook (131026, 131049, 131050 …). */
  failed: number;
  /** Accepted or refused. */
  attempted: number;
}

/**
 * Whether the error policy is breached: at least `minSample` sends attempted and more than
 * `maxFailureRate` of them failed. Failures WhatsApp reports later by webhook count like
 * refusals: a list of unreachable numbers is refused nowhere but fails all the same.
 */
export function breachesErrorPolicy(f: PolicyFigures, p: ErrorPolicy): boolean {
  return f.attempted >= p.minSample && f.attempted > 0 && f.failed / f.attempted > p.maxFailureRate;
}

/** The reason a broadcast paused by the error policy shows, naming the policy, the figures and the commonest error codes. */
export function errorPolicyReason(f: PolicyFigures, p: ErrorPolicy, codes: Array<{ code: number | null; count: number }>): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const top = codes.filter((c) => c.code !== null).map((c) => `${c.code} × ${c.count}`);
  return (
    `error policy: ${f.failed} of ${f.attempted} sends failed (${pct(f.failed / f.attempted)} > ${pct(p.maxFailureRate)}), ` +
    `refused or reported failed${top.length ? `; most common: ${top.join(', ')}` : ''}; fix the cause, then resume`
  );
}
