import type { WebhookEvent } from '@clarion/whatsapp';

/**
 * Applies parsed webhook events (statistics, opt-outs, template statuses). Implemented by
 * the worker's router; must be idempotent, since a batch that fails is applied again.
 */
export interface WebhookEventHandler {
  handle(events: WebhookEvent[]): Promise<void>;
}

export const WEBHOOK_EVENT_HANDLER = Symbol('WEBHOOK_EVENT_HANDLER');
