import type { MessageStatus, StatusEvent } from '@clarion/whatsapp';

/** What status webhooks may change on a recipient row, as read before applying a batch. */
export interface RecipientState {
  id: number;
  broadcastId: number;
  phone: string;
  country: string | null;
  wamid: string | null;
  status: string;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
  errorCode: number | null;
  errorTitle: string | null;
  errorDetail: string | null;
  cost: number | null;
  pricingCategory: string | null;
}

/** The figures a recipient is counted in (0 or 1 each), and its cost. */
export interface Membership {
  sent: number;
  awaitingDelivery: number;
  delivered: number;
  read: number;
  failed: number;
  /** Failed as reported by a webhook (the message had been accepted), not refused at send. */
  reportedFailed: number;
  cost: number;
}

export type PriceOf = (category: string | undefined, country: string | null) => number;

const RANK: Record<MessageStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 0 };

/**
 * The figures a recipient counts in. Monotonic by construction: read implies delivered implies
 * sent because the timestamps are set together (see `mergeStatuses`); `failed` counts a failure
 * reported by WhatsApp or a refused send alike.
 */
export function membershipOf(r: RecipientState): Membership {
  const sent = r.sentAt ? 1 : 0;
  const delivered = r.deliveredAt ? 1 : 0;
  const failed = r.failedAt || r.status === 'failed' ? 1 : 0;
  return {
    sent,
    awaitingDelivery: sent && !delivered && !failed ? 1 : 0,
    delivered,
    read: r.readAt ? 1 : 0,
    failed,
    reportedFailed: r.failedAt && r.wamid ? 1 : 0,
    cost: r.cost ?? 0,
  };
}

/** Highest state reached; a failure after `sent` but before delivery shows as failed. */
export function statusOf(r: RecipientState): string {
  if (r.readAt) return 'read';
  if (r.deliveredAt) return 'delivered';
  if (r.failedAt) return 'failed';
  if (r.sentAt) return 'sent';
  return r.status;
}

function earliest(current: Date | null, candidate: Date): Date {
  return current ?? candidate;
}

/**
 * Folds a recipient's status events into its state. Only empty fields are filled (the `IS NULL`
 * rule), so duplicates change nothing and order does not matter: a `read` first sets sent,
 * delivered and read at once. Returns the new state (a copy); `before` is left alone.
 */
export function mergeStatuses(before: RecipientState, events: StatusEvent[], priceOf: PriceOf): RecipientState {
  const after: RecipientState = { ...before };
  // Earlier states first, so that a later `sent` does not set sent_at after a `read` did.
  const ordered = [...events].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || RANK[a.status] - RANK[b.status]);
  for (const e of ordered) {
    if (after.wamid === null) after.wamid = e.wamid;
    if (e.status === 'failed') {
      if (!after.failedAt) {
        after.failedAt = e.timestamp;
        const err = e.errors?.[0];
        if (err) {
          after.errorCode = err.code;
          after.errorTitle = err.title?.slice(0, 255) ?? null;
          after.errorDetail = (err.details ?? err.message ?? null)?.slice(0, 1000) ?? null;
        }
      }
    } else {
      after.sentAt = earliest(after.sentAt, e.timestamp);
      if (e.status === 'delivered' || e.status === 'read') after.deliveredAt = earliest(after.deliveredAt, e.timestamp);
      if (e.status === 'read') after.readAt = earliest(after.readAt, e.timestamp);
    }
    if (after.cost === null && e.pricing) {
      // Meta reports what it bills, not a price: `billable: false` (CBP) or a free `type`
      // (PMP: free_customer_service, free_entry_point) cost nothing; the rest is priced by category.
      const free = e.pricing.billable === false || (e.pricing.type !== undefined && e.pricing.type.startsWith('free'));
      after.cost = free ? 0 : priceOf(e.pricing.category, after.country);
      after.pricingCategory = (e.pricing.category ?? null)?.slice(0, 32) ?? null;
    }
  }
  after.status = statusOf(after);
  return after;
}

/** Which timestamps a merge filled, keyed by figure: feeds the per-minute buckets. */
export function newlySet(before: RecipientState, after: RecipientState): Partial<Record<'sent' | 'delivered' | 'read' | 'failed', Date>> {
  const out: Partial<Record<'sent' | 'delivered' | 'read' | 'failed', Date>> = {};
  if (!before.sentAt && after.sentAt) out.sent = after.sentAt;
  if (!before.deliveredAt && after.deliveredAt) out.delivered = after.deliveredAt;
  if (!before.readAt && after.readAt) out.read = after.readAt;
  if (!before.failedAt && after.failedAt && before.status !== 'failed') out.failed = after.failedAt;
  return out;
}

export function changed(before: RecipientState, after: RecipientState): boolean {
  return (
    before.wamid !== after.wamid ||
    before.status !== after.status ||
    before.sentAt !== after.sentAt ||
    before.deliveredAt !== after.deliveredAt ||
    before.readAt !== after.readAt ||
    before.failedAt !== after.failedAt ||
    before.cost !== after.cost
  );
}
