import type { WebhookEvent } from '@clarion/whatsapp';

/**
 * The identity of an event that must act once even if Meta delivers it again inside a
 * different body: an inbound message (its wamid) and a preference change. Statuses need no
 * key: applying them is idempotent by construction (the highest state wins, one timestamp
 * per state), and a key per status would double the writes of the hottest path.
 */
export function eventKey(event: WebhookEvent): string | undefined {
  switch (event.kind) {
    case 'inbound':
      return `in:${event.wamid}`.slice(0, 191);
    case 'user_preference':
      return `up:${event.phoneNumberId}:${event.waId}:${event.value}:${event.timestamp.getTime()}`.slice(0, 191);
    default:
      return undefined;
  }
}
