import { Inject, Injectable, Logger } from '@nestjs/common';
import { metrics } from '@clarion/observability';
import { parseWebhook, WebhookEvent } from '@clarion/whatsapp';
import { eventKey } from './event-keys';
import { WEBHOOK_EVENT_HANDLER, WebhookEventHandler } from './webhook-event-handler';
import { StoredWebhook, WebhookEventsRepository } from './webhook-events.repository';

/** Stored bodies per batch (Meta sends 1 to 1,000 events per body; statistics chunk by 1,000). */
const BATCH_ROWS = 500;
/** Batches one worker applies at once: one waits on MySQL while the other is parsed and merged. */
const LOOPS = 2;

/**
 * Applies stored webhooks: claims a batch of rows, parses them, drops events applied before,
 * hands the rest to the handler in one call and marks the rows done. If the batch fails, each
 * row is retried alone so one poisonous body cannot hold the others back.
 */
@Injectable()
export class ProcessWebhookEvents {
  private readonly logger = new Logger(ProcessWebhookEvents.name);
  private running?: Promise<number>;
  private again = false;

  constructor(
    private readonly repository: WebhookEventsRepository,
    @Inject(WEBHOOK_EVENT_HANDLER) private readonly handler: WebhookEventHandler,
  ) {}

  /**
   * Applies everything pending, batch after batch. A call during a run joins it, and the run
   * goes round once more (rows stored meanwhile are not left for the sweep); other processes
   * work beside it on other rows. Returns the rows applied.
   */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        const counts = await Promise.all(Array.from({ length: LOOPS }, () => this.drainLoop()));
        total += counts.reduce((a, b) => a + b, 0);
      } while (this.again);
      return total;
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drainLoop(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.repository.claimPending(BATCH_ROWS);
      if (rows.length === 0) return total;
      total += await this.processRows(rows);
      if (rows.length < BATCH_ROWS) return total;
    }
  }

  /** Applies claimed rows; returns how many were applied. */
  async processRows(rows: StoredWebhook[]): Promise<number> {
    try {
      await this.apply(rows.flatMap((row) => this.parse(row)));
      await this.repository.markProcessed(rows.map((r) => r.id));
      return rows.length;
    } catch (error) {
      if (rows.length === 1) {
        await this.fail(rows[0], error as Error);
        return 0;
      }
      let applied = 0;
      for (const row of rows) applied += await this.processRows([row]);
      return applied;
    }
  }

  private parse(row: StoredWebhook): WebhookEvent[] {
    let payload: unknown;
    try {
      payload = JSON.parse(row.body.toString('utf8'));
    } catch {
      // The API refuses malformed JSON before storing; a row like this was written by hand.
      this.logger.warn(`webhook row ${row.id} is not JSON; skipped`);
      return [];
    }
    return parseWebhook(payload, { receivedAt: row.receivedAt });
  }

  private async apply(events: WebhookEvent[]): Promise<void> {
    const keyed = new Map<string, WebhookEvent>();
    const fresh: WebhookEvent[] = [];
    for (const event of events) {
      const key = eventKey(event);
      if (key === undefined) fresh.push(event);
      else if (!keyed.has(key)) keyed.set(key, event);
    }
    const seen = await this.repository.existingKeys([...keyed.keys()]);
    for (const [key, event] of keyed) if (!seen.has(key)) fresh.push(event);
    if (fresh.length === 0) return;

    await this.handler.handle(fresh);
    await this.repository.rememberKeys([...keyed.keys()].filter((k) => !seen.has(k)));
    const counts = new Map<string, number>();
    for (const event of fresh) counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
    for (const [kind, n] of counts) metrics.webhookEvents.inc({ kind }, n);
  }

  private async fail(row: StoredWebhook, error: Error): Promise<void> {
    this.logger.error(
      { webhookEventId: row.id, attempts: row.attempts, err: error.message },
      'webhook event could not be applied; it will be retried',
    );
    await this.repository.markFailed(row.id, row.attempts, error.message);
  }
}
