import type { AudienceContact } from '@clarion/contacts';
import { stopReasonFor } from './stop-conditions';

const contact = (over: Partial<AudienceContact> = {}): AudienceContact => ({
  id: 1,
  phone: '+919876543210',
  name: 'Asha',
  country: 'IN',
  attributes: { stage: 'lead' },
  optedOut: false,
  ...over,
});

describe('stopReasonFor', () => {
  const rules = { stopOnReply: true, stopWhen: { attribute: 'stage', equals: 'Customer' } };

  it('lets an ordinary contact go on', () => {
    expect(stopReasonFor(contact(), false, rules)).toBeNull();
  });

  it('stops a contact who replied since enrolling, only when the sequence stops on reply', () => {
    expect(stopReasonFor(contact(), true, rules)).toBe('replied');
    expect(stopReasonFor(contact(), true, { ...rules, stopOnReply: false })).toBeNull();
  });

  it('always stops an opted-out contact, before anything else', () => {
    expect(stopReasonFor(contact({ optedOut: true }), true, { stopOnReply: false, stopWhen: null })).toBe('opted_out');
  });

  it('stops when the attribute took the value, ignoring case and spaces', () => {
    expect(stopReasonFor(contact({ attributes: { stage: ' customer ' } }), false, rules)).toBe('attribute');
    expect(stopReasonFor(contact({ attributes: { stage: 'customers' } }), false, rules)).toBeNull();
    expect(stopReasonFor(contact({ attributes: {} }), false, rules)).toBeNull();
  });

  it('stops a run whose contact was deleted', () => {
    expect(stopReasonFor(undefined, false, rules)).toBe('contact_deleted');
  });
});
