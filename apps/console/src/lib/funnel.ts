/** The sent → delivered → read → replied funnel, with the rates the API defines. */

export interface FunnelCounts {
  sent: number;
  delivered: number;
  read: number;
  replied: number;
}

export interface FunnelStep {
  key: keyof FunnelCounts;
  label: string;
  count: number;
  /** Share of the sent messages (1 for sent itself); null when nothing was sent. */
  ofSent: number | null;
  /**
   * The API's rate for this step: delivered / sent, read / delivered, replied / delivered (a reply
   * needs a delivered message, not a read receipt: many people turn those off). Null for sent, or
   * when the denominator is 0.
   */
  rate: number | null;
  rateLabel: string | null;
}

function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
}

export function funnel(c: FunnelCounts): FunnelStep[] {
  return [
    { key: 'sent', label: 'Sent', count: c.sent, ofSent: c.sent > 0 ? 1 : null, rate: null, rateLabel: null },
    {
      key: 'delivered',
      label: 'Delivered',
      count: c.delivered,
      ofSent: ratio(c.delivered, c.sent),
      rate: ratio(c.delivered, c.sent),
      rateLabel: 'of sent',
    },
    {
      key: 'read',
      label: 'Read',
      count: c.read,
      ofSent: ratio(c.read, c.sent),
      rate: ratio(c.read, c.delivered),
      rateLabel: 'of delivered',
    },
    {
      key: 'replied',
      label: 'Replied',
      count: c.replied,
      ofSent: ratio(c.replied, c.sent),
      rate: ratio(c.replied, c.delivered),
      rateLabel: 'of delivered',
    },
  ];
}

/** A send that was attempted: delivered, read and so on never exceed it; progress is accepted / to send. */
export function progressShare(accepted: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(1, accepted / total);
}
