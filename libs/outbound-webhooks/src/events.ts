import { randomUUID } from 'node:crypto';

/** Every event type an endpoint may subscribe to (CONTRACT.md, "Outbound webhooks"). */
export const OUTBOUND_EVENT_TYPES = [
  'broadcast.status_changed',
  'broadcast.completed',
  'recipient.failed',
  'message.replied',
  'contact.opted_out',
  'import.completed',
  'template.status_changed',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** `POST /v1/webhook-endpoints/:id/test` sends this; no endpoint subscribes to it. */
export const PING_EVENT = 'ping';

/** One event as written to the outbox; `id` is the `webhook-id` of every delivery of it. */
export interface OutboundEvent {
  id: string;
  type: OutboundEventType;
  data: Record<string, unknown>;
  occurredAt: Date;
}

function event(type: OutboundEventType, data: Record<string, unknown>, occurredAt = new Date()): OutboundEvent {
  return { id: randomUUID(), type, data, occurredAt };
}

/**
 * The events, one builder each, so every place that changes state names what it tells
 * receivers in one call. Data holds ids and the new state; receivers read more through the API.
 */
export const OutboundEvents = {
  broadcastStatusChanged(broadcastId: number, status: string, reason: string | null = null): OutboundEvent {
    return event('broadcast.status_changed', { broadcastId, status, reason });
  },
  broadcastCompleted(broadcastId: number, stats: Record<string, number>): OutboundEvent {
    return event('broadcast.completed', { broadcastId, stats });
  },
  recipientFailed(r: {
    broadcastId: number;
    recipientId: number;
    phone?: string | null;
    errorCode: number | null;
    errorTitle: string | null;
  }): OutboundEvent {
    return event('recipient.failed', {
      broadcastId: r.broadcastId,
      recipientId: r.recipientId,
      phone: r.phone ?? null,
      errorCode: r.errorCode,
      errorTitle: r.errorTitle,
    });
  },
  messageReplied(r: {
    broadcastId: number;
    recipientId: number;
    inboundMessageId: number;
    receivedAt: Date;
    phone: string | null;
    messageType: string | null;
    text: string | null;
  }): OutboundEvent {
    return event('message.replied', {
      broadcastId: r.broadcastId,
      recipientId: r.recipientId,
      inboundMessageId: r.inboundMessageId,
      phone: r.phone,
      messageType: r.messageType,
      text: r.text,
      receivedAt: r.receivedAt.toISOString(),
    });
  },
  contactOptedOut(phone: string, at: Date): OutboundEvent {
    return event('contact.opted_out', { phone, optedOutAt: at.toISOString() });
  },
  importCompleted(data: {
    importId: number;
    status: string;
    totalRows: number;
    created: number;
    updated: number;
    duplicates: number;
    invalid: number;
    failureReason: string | null;
  }): OutboundEvent {
    return event('import.completed', data);
  },
  templateStatusChanged(templateId: number, name: string, status: string, reason: string | null): OutboundEvent {
    return event('template.status_changed', { templateId, name, status, reason });
  },
};
