import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@clarion/queue';

/** The webhook queue's payload: only a wake-up call; the rows themselves wait in MySQL. */
export interface WebhookNudge {
  reason: 'stored';
}

const MIN_INTERVAL_MS = 20;

/**
 * Wakes a worker after bodies are stored. At most one job per 20 ms per process (a worker
 * drains everything pending when woken); a lost job only delays work until the sweep.
 */
@Injectable()
export class WebhookNudger {
  private readonly logger = new Logger(WebhookNudger.name);
  private lastAt = 0;
  private trailing?: NodeJS.Timeout;

  constructor(@InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<WebhookNudge>) {}

  nudge(): void {
    const wait = this.lastAt + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) return this.send();
    this.trailing ??= setTimeout(() => {
      this.trailing = undefined;
      this.send();
    }, wait);
  }

  private send(): void {
    this.lastAt = Date.now();
    this.queue
      .add({ reason: 'stored' }, { removeOnComplete: true, removeOnFail: true, attempts: 1 })
      .catch((error: Error) => this.logger.warn(`could not enqueue a webhook nudge (the sweep will pick the events up): ${error.message}`));
  }

  stop(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
  }
}
