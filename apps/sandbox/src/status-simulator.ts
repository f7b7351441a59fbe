import { randomBytes } from 'node:crypto';
import type { WebhookStatusPayload } from '@clarion/whatsapp';
import type { LedgerEntry } from './ledger';
import type { SandboxConfig } from './sandbox-config';
import { statusErrorTitle } from './sandbox-errors';
import type { WebhookEvent, WebhookPoster } from './webhook-poster';

interface Scheduled {
  dueAt: number;
  event: WebhookEvent;
}

export interface PhoneIdentity {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
}

/**
 * Decides what happens to an accepted message (sent → delivered → read, failed for configured
 * numbers, replies and STOPs) and hands each event to the poster when it falls due. One timer
 * for all: a min-heap ordered by due time.
 */
export class StatusSimulator {
  private readonly heap: Scheduled[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly config: () => SandboxConfig,
    private readonly poster: WebhookPoster,
  ) {}

  /**
   * Plans the webhooks of an accepted message. Returns the `sent` event instead of scheduling it
   * when the caller must post it before answering (early webhook).
   */
  plan(entry: LedgerEntry, phone: PhoneIdentity, category: string): WebhookEvent | undefined {
    const config = this.config();
    if (!config.webhook.url) return undefined;
    const s = config.statuses;
    const recipient = entry.to.replace(/^\+/, '');
    const status = (name: WebhookStatusPayload['status'], at: number, extra: Partial<WebhookStatusPayload> = {}): Scheduled => ({
      dueAt: at,
      event: {
        ...phone,
        status: {
          id: entry.wamid,
          status: name,
          timestamp: String(Math.floor(at / 1000)),
          recipient_id: recipient,
          ...(entry.callbackData !== undefined ? { biz_opaque_callback_data: entry.callbackData } : {}),
          ...extra,
        },
      },
    });
    const jitter = () => (s.jitterMs > 0 ? Math.random() * s.jitterMs : 0);
    const t0 = entry.acceptedAt;
    const planned: Scheduled[] = [];
    const failCode = config.failNumbers[recipient] ?? config.failNumbers[entry.to];
    const pricing = { billable: true, pricing_model: 'PMP', category, type: 'regular' };
    if (failCode !== undefined) {
      const title = statusErrorTitle(failCode);
      planned.push(
        status('failed', t0 + s.sentDelayMs + jitter(), {
          errors: [
            {
              code: failCode,
              title,
              message: title,
              error_data: { details: `Sandbox: recipient ${recipient} is configured to fail with ${failCode}.` },
              href: '/documentation/business-messaging/whatsapp/support/error-codes',
            },
          ],
        }),
      );
    } else {
      planned.push(status('sent', t0 + s.sentDelayMs + jitter(), { pricing }));
      if (Math.random() < s.deliveredProbability) {
        planned.push(status('delivered', t0 + s.deliveredDelayMs + jitter(), { pricing }));
        const unread = config.unreadNumbers.includes(recipient) || config.unreadNumbers.includes(entry.to);
        if (!unread && Math.random() < s.readProbability) {
          const readAt = t0 + s.readDelayMs + jitter();
          planned.push(status('read', readAt, { pricing }));
          const reply = this.replyText(config, recipient, entry.to);
          if (reply !== undefined) planned.push(this.reply(phone, entry, recipient, reply, readAt + config.replyDelayMs));
        }
      }
    }
    if (s.reorder) {
      const times = planned.map((p) => p.dueAt).reverse();
      planned.forEach((p, i) => (p.dueAt = times[i]));
    }
    let early: WebhookEvent | undefined;
    for (const item of planned) {
      if (s.earlyWebhook && !early && item.event.status && (item.event.status.status === 'sent' || item.event.status.status === 'failed')) {
        early = item.event;
        continue;
      }
      this.push(item);
      if (s.duplicateProbability > 0 && Math.random() < s.duplicateProbability)
        this.push({ dueAt: item.dueAt + 20 + Math.random() * 200, event: item.event });
    }
    return early;
  }

  clear(): void {
    this.heap.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** Events planned but not yet handed to the poster. */
  get scheduled(): number {
    return this.heap.length;
  }

  private replyText(config: SandboxConfig, recipient: string, to: string): string | undefined {
    if (config.stopNumbers.includes(recipient) || config.stopNumbers.includes(to)) return 'STOP';
    const configured = config.replyNumbers[recipient] ?? config.replyNumbers[to];
    if (configured !== undefined) return configured;
    return config.replyProbability > 0 && Math.random() < config.replyProbability ? config.replyText : undefined;
  }

  private reply(phone: PhoneIdentity, entry: LedgerEntry, recipient: string, text: string, at: number): Scheduled {
    return {
      dueAt: at,
      event: {
        ...phone,
        message: {
          from: recipient,
          id: `wamid.${randomBytes(18).toString('base64url')}`,
          timestamp: String(Math.floor(at / 1000)),
          type: 'text',
          text: { body: text },
          context: { from: phone.displayPhoneNumber, id: entry.wamid },
        },
      },
    };
  }

  private push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueAt <= heap[i].dueAt) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
    this.arm();
  }

  private pop(): Scheduled {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l].dueAt < heap[m].dueAt) m = l;
        if (r < heap.length && heap[r].dueAt < heap[m].dueAt) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  }

  private arm(): void {
    if (this.heap.length === 0) return;
    const next = this.heap[0].dueAt;
    if (this.timer && next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    while (this.heap.length > 0 && this.heap[0].dueAt <= now) this.poster.enqueue(this.pop().event);
    this.arm();
  }
}
