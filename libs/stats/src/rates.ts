/** Counters as stored in broadcast_stats. */
export interface BroadcastFigures {
  total: number;
  accepted: number;
  sent: number;
  awaitingDelivery: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  skipped: number;
  cost: number;
}

export interface BroadcastRates {
  /** delivered / sent */
  deliveryRate: number | null;
  /** read / delivered */
  readRate: number | null;
  /** replied / delivered */
  replyRate: number | null;
  /** failed / (total - skipped) */
  failureRate: number | null;
}

function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
}

/** The rates every view shows, derived one way (null when the denominator is 0). */
export function deriveRates(f: Pick<BroadcastFigures, 'total' | 'sent' | 'delivered' | 'read' | 'replied' | 'failed' | 'skipped'>): BroadcastRates {
  return {
    deliveryRate: ratio(f.delivered, f.sent),
    readRate: ratio(f.read, f.delivered),
    replyRate: ratio(f.replied, f.delivered),
    failureRate: ratio(f.failed, f.total - f.skipped),
  };
}

/** SQL for the same rates, over a `broadcast_stats` alias (history sort keys). */
export const RATE_SQL = {
  deliveryRate: (s: string) => `COALESCE(ROUND(${s}.delivered / NULLIF(${s}.sent, 0), 4), -1)`,
  readRate: (s: string) => `COALESCE(ROUND(${s}.\`read\` / NULLIF(${s}.delivered, 0), 4), -1)`,
  replyRate: (s: string) => `COALESCE(ROUND(${s}.replied / NULLIF(${s}.delivered, 0), 4), -1)`,
  failureRate: (s: string) => `COALESCE(ROUND(${s}.failed / NULLIF(CAST(${s}.total AS SIGNED) - ${s}.skipped, 0), 4), -1)`,
} as const;
