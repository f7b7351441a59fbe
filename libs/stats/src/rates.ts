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
  /** Sends WhatsApp refused outright (never accepted); counted in `failed` too. */
  refused: number;
  skipped: number;
  /** Recipients a cancel left unsent. */
  cancelled: number;
  cost: number;
}

export interface BroadcastRates {
  /** delivered / sent */
  deliveryRate: number | null;
  /** read / delivered */
  readRate: number | null;
  /** replied / delivered */
  replyRate: number | null;
  /** failed / (accepted + refused): of the sends attempted, those that failed */
  failureRate: number | null;
}

function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
}

/** The rates every view shows, derived one way (null when the denominator is 0). */
export function deriveRates(
  f: Pick<BroadcastFigures, 'accepted' | 'refused' | 'sent' | 'delivered' | 'read' | 'replied' | 'failed'>,
): BroadcastRates {
  return {
    deliveryRate: ratio(f.delivered, f.sent),
    readRate: ratio(f.read, f.delivered),
    replyRate: ratio(f.replied, f.delivered),
    failureRate: ratio(f.failed, f.accepted + f.refused),
  };
}

/** SQL for the same rates, over a `broadcast_stats` alias (history sort keys). */
export const RATE_SQL = {
  deliveryRate: (s: string) => `COALESCE(ROUND(${s}.delivered / NULLIF(${s}.sent, 0), 4), -1)`,
  readRate: (s: string) => `COALESCE(ROUND(${s}.\`read\` / NULLIF(${s}.delivered, 0), 4), -1)`,
  replyRate: (s: string) => `COALESCE(ROUND(${s}.replied / NULLIF(${s}.delivered, 0), 4), -1)`,
  failureRate: (s: string) => `COALESCE(ROUND(${s}.failed / NULLIF(${s}.accepted + ${s}.refused, 0), 4), -1)`,
} as const;

/** A broadcast's figures as every view shows them (the `stats` object), with `queued` derived. */
export interface StatsView extends BroadcastFigures {
  queued: number;
}

/** Columns to select from a `broadcast_stats` alias for `toStatsView`. */
export const STATS_COLUMNS = (s: string) =>
  `COALESCE(${s}.total,0) AS st_total, COALESCE(${s}.accepted,0) AS st_accepted, COALESCE(${s}.sent,0) AS st_sent,
   COALESCE(${s}.awaiting_delivery,0) AS st_awaiting, COALESCE(${s}.delivered,0) AS st_delivered, COALESCE(${s}.\`read\`,0) AS st_read,
   COALESCE(${s}.replied,0) AS st_replied, COALESCE(${s}.failed,0) AS st_failed, COALESCE(${s}.refused,0) AS st_refused,
   COALESCE(${s}.skipped,0) AS st_skipped, COALESCE(${s}.cancelled,0) AS st_cancelled, COALESCE(${s}.cost,0) AS st_cost`;

/**
 * Counters row (selected with STATS_COLUMNS) → view. `queued` = not yet answered by WhatsApp:
 * total − accepted − skipped − refused − cancelled, as the broadcast details compute it.
 */
export function toStatsView(row: Record<string, unknown>): StatsView {
  const n = (k: string) => Number(row[k] ?? 0);
  const refused = n('st_refused');
  return {
    total: n('st_total'),
    queued: Math.max(0, n('st_total') - n('st_accepted') - n('st_skipped') - refused - n('st_cancelled')),
    accepted: n('st_accepted'),
    sent: n('st_sent'),
    awaitingDelivery: n('st_awaiting'),
    delivered: n('st_delivered'),
    read: n('st_read'),
    replied: n('st_replied'),
    failed: n('st_failed'),
    refused,
    skipped: n('st_skipped'),
    cancelled: n('st_cancelled'),
    cost: Math.round(n('st_cost') * 1e6) / 1e6,
  };
}
