import { Process, Processor } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { QueueName } from '@clarion/queue';
import { ProcessWebhookEvents, WebhookEventsRepository, WebhookNudge } from '@clarion/webhooks';
import type { Job } from 'bull';

const RETENTION_DAYS = 7;

/** A nudge job means "rows are waiting": drain them. */
@Processor(QueueName.WebhookEvents)
export class WebhookEventsProcessor {
  constructor(private readonly processing: ProcessWebhookEvents) {}

  @Process()
  async drain(_job: Job<WebhookNudge>): Promise<void> {
    await this.processing.drain();
  }
}

/**
 * The safety net under the nudges: every second each worker drains whatever is pending (a
 * nudge lost with Redis, a failed batch due for retry), and every ten minutes drops applied
 * rows older than Meta's 7-day retry window.
 */
@Injectable()
export class WebhookSweep {
  private readonly logger = new Logger(WebhookSweep.name);

  constructor(
    private readonly processing: ProcessWebhookEvents,
    private readonly repository: WebhookEventsRepository,
  ) {}

  @Interval('webhook-events-sweep', 1_000)
  async sweep(): Promise<void> {
    try {
      await this.processing.drain();
    } catch (error) {
      this.logger.error(`webhook sweep failed: ${(error as Error).message}`);
    }
  }

  @Interval('webhook-events-purge', 600_000)
  async purge(): Promise<void> {
    try {
      const removed = await this.repository.purgeOlderThan(new Date(Date.now() - RETENTION_DAYS * 86_400_000));
      if (removed > 0) this.logger.log(`purged ${removed} applied webhook rows older than ${RETENTION_DAYS} days`);
    } catch (error) {
      this.logger.error(`webhook purge failed: ${(error as Error).message}`);
    }
  }
}
