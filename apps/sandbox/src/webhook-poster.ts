import { createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import type { WebhookChangeValue, WebhookInboundMessagePayload, WebhookPayload, WebhookStatusPayload } from '@clarion/whatsapp';
import type { Ledger } from './ledger';
import type { SandboxWebhookOptions } from './sandbox-config';

const MAX_WAITING_BATCHES = 20_000;

/** One status or inbound message waiting to be posted. */
export interface WebhookEvent {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
  status?: WebhookStatusPayload;
  message?: WebhookInboundMessagePayload;
}

/**
 * Posts events to the webhook URL the way Meta does: batched into entry[].changes[].value
 * (statuses[] or messages[]), signed with X-Hub-Signature-256 over the exact bytes sent, over
 * keep-alive connections, retried a few times when the receiver does not answer 2xx.
 */
export class WebhookPoster {
  private pending: WebhookEvent[] = [];
  private readonly waiting: WebhookEvent[][] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly agent = new Agent({ connections: 32, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: () => SandboxWebhookOptions & { shuffle: boolean },
    private readonly ledger: Ledger,
  ) {}

  enqueue(event: WebhookEvent): void {
    if (this.closed) return;
    this.pending.push(event);
    const { maxBatch, flushIntervalMs } = this.options();
    if (this.pending.length >= maxBatch) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), flushIntervalMs);
  }

  /** Posts these events at once, outside the batches (the early-webhook case); resolves when answered. */
  async postNow(events: WebhookEvent[]): Promise<boolean> {
    return this.deliver(events);
  }

  /**
   * Posts one change of a WABA that is not about messages (`message_template_status_update`, …)
   * in Meta's envelope, signed and retried like the rest; resolves when answered.
   */
  async postChange(wabaId: string, field: string, value: object): Promise<boolean> {
    const payload = {
      object: 'whatsapp_business_account',
      entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ field, value }] }],
    };
    return this.deliverBody(JSON.stringify(payload), () => this.ledger.webhookPosts++);
  }

  /** Resolves when nothing is pending or in flight. */
  idle(): Promise<void> {
    if (this.pending.length === 0 && this.waiting.length === 0 && this.inFlight === 0) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops whatever is pending (used by reset). */
  clear(): void {
    this.pending = [];
    this.waiting.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clear();
    await this.agent.destroy().catch(() => undefined);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const { maxBatch } = this.options();
    while (this.pending.length > 0) this.waiting.push(this.pending.splice(0, maxBatch));
    // A receiver that is down must not make the sandbox hoard webhooks without end: drop the oldest.
    while (this.waiting.length > MAX_WAITING_BATCHES) {
      this.waiting.shift();
      this.ledger.webhookPostFailures++;
    }
    this.pump();
  }

  private pump(): void {
    const { concurrency } = this.options();
    while (this.inFlight < concurrency && this.waiting.length > 0) {
      const batch = this.waiting.shift()!;
      this.inFlight++;
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.pump();
        this.notifyIdle();
      });
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.pending.length > 0 || this.waiting.length > 0 || this.inFlight > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async deliver(events: WebhookEvent[]): Promise<boolean> {
    if (this.options().shuffle) shuffle(events);
    return this.deliverBody(JSON.stringify(buildPayload(events)), () => {
      this.ledger.webhookPosts++;
      for (const [phone, n] of countByPhone(events)) this.ledger.webhookDelivered(phone, n);
    });
  }

  private async deliverBody(body: string, onDelivered: () => void): Promise<boolean> {
    const options = this.options();
    if (!options.url || this.closed) return false;
    const signature = `sha256=${createHmac('sha256', options.appSecret).update(body).digest('hex')}`;
    for (let attempt = 0; attempt <= options.retries && !this.closed; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * attempt));
      try {
        const response = await request(options.url, {
          method: 'POST',
          dispatcher: this.agent,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' },
          body,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) {
          onDelivered();
          return true;
        }
      } catch {
        // connection refused or reset: retried below like a non-2xx answer
      }
    }
    this.ledger.webhookPostFailures++;
    return false;
  }
}

/** Groups events into Meta's envelope: one entry per WABA, one change per phone number and kind. */
export function buildPayload(events: WebhookEvent[]): WebhookPayload {
  const entries = new Map<string, Map<string, WebhookChangeValue>>();
  for (const event of events) {
    let changes = entries.get(event.wabaId);
    if (!changes) entries.set(event.wabaId, (changes = new Map()));
    const key = `${event.phoneNumberId}|${event.status ? 's' : 'm'}`;
    let value = changes.get(key);
    if (!value) {
      value = {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: event.displayPhoneNumber, phone_number_id: event.phoneNumberId },
      };
      changes.set(key, value);
    }
    if (event.status) (value.statuses ??= []).push(event.status);
    if (event.message) {
      (value.messages ??= []).push(event.message);
      const contacts = (value.contacts ??= []);
      if (!contacts.some((c) => c.wa_id === event.message!.from))
        contacts.push({ profile: { name: 'Sandbox User' }, wa_id: event.message.from });
    }
  }
  return {
    object: 'whatsapp_business_account',
    entry: [...entries].map(([id, changes]) => ({
      id,
      changes: [...changes.values()].map((value) => ({ field: 'messages' as const, value })),
    })),
  };
}

function countByPhone(events: WebhookEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.phoneNumberId, (counts.get(event.phoneNumberId) ?? 0) + 1);
  return counts;
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
