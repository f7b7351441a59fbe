import type { StatusEvent } from '@clarion/whatsapp';
import { membershipOf, mergeStatuses, newlySet, RecipientState } from './recipient-state';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
const base: RecipientState = {
  id: 1,
  broadcastId: 7,
  phone: '+919800000001',
  country: 'IN',
  wamid: 'wamid.A',
  status: 'queued',
  sentAt: null,
  deliveredAt: null,
  readAt: null,
  failedAt: null,
  errorCode: null,
  errorTitle: null,
  errorDetail: null,
  cost: null,
  pricingCategory: null,
};
const ev = (status: StatusEvent['status'], s: number, extra: Partial<StatusEvent> = {}): StatusEvent => ({
  kind: 'status',
  phoneNumberId: 'p',
  wamid: 'wamid.A',
  status,
  timestamp: at(s),
  recipientId: '91',
  ...extra,
});
const price = () => 0.01;

describe('mergeStatuses', () => {
  it('a read arriving alone sets sent, delivered and read at once', () => {
    const after = mergeStatuses(base, [ev('read', 5)], price);
    expect(membershipOf(after)).toMatchObject({ sent: 1, delivered: 1, read: 1, awaitingDelivery: 0 });
    expect(after.status).toBe('read');
    expect(Object.keys(newlySet(base, after)).sort()).toEqual(['delivered', 'read', 'sent']);
  });

  it('gives the same state whatever the order, and duplicates change nothing', () => {
    const events = [ev('sent', 1), ev('delivered', 2), ev('read', 3)];
    const inOrder = mergeStatuses(base, events, price);
    const reversed = mergeStatuses(base, [...events].reverse(), price);
    expect(reversed).toEqual(inOrder);
    expect(mergeStatuses(inOrder, events, price)).toEqual(inOrder);
    expect(inOrder.sentAt).toEqual(at(1));
  });

  it('a sent then failed recipient counts in both, no longer awaiting delivery', () => {
    const sent = mergeStatuses(base, [ev('sent', 1)], price);
    expect(membershipOf(sent).awaitingDelivery).toBe(1);
    const failed = mergeStatuses(sent, [ev('failed', 2, { errors: [{ code: 131026, title: 'Message undeliverable' }] })], price);
    expect(membershipOf(failed)).toMatchObject({ sent: 1, failed: 1, awaitingDelivery: 0 });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 131026, errorTitle: 'Message undeliverable' });
  });

  it('prices billable messages once, and free ones at zero (CBP and PMP shapes)', () => {
    const cbp = mergeStatuses(base, [ev('sent', 1, { pricing: { billable: true, category: 'marketing', pricingModel: 'CBP' } })], price);
    expect(cbp.cost).toBe(0.01);
    const again = mergeStatuses(
      cbp,
      [ev('delivered', 2, { pricing: { billable: true, category: 'marketing', pricingModel: 'CBP' } })],
      () => 5,
    );
    expect(again.cost).toBe(0.01);
    const pmpFree = mergeStatuses(
      base,
      [ev('sent', 1, { pricing: { billable: false, category: 'service', pricingModel: 'PMP', type: 'free_customer_service' } })],
      price,
    );
    expect(pmpFree.cost).toBe(0);
    const pmp = mergeStatuses(base, [ev('sent', 1, { pricing: { category: 'utility', pricingModel: 'PMP', type: 'regular' } })], price);
    expect(pmp).toMatchObject({ cost: 0.01, pricingCategory: 'utility' });
  });
});
