import { Process, Processor } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bull';
import { DeliveryJob, WebhookDelivery } from '@clarion/outbound-webhooks';
import { QueueName } from '@clarion/queue';

/**
 * Consumes the deliveries queue: one attempt per run. A failed attempt throws, so bull retries it
 * with the webhook backoff until the attempts (≥ 24 h of them) run out.
 */
@Processor(QueueName.OutboundWebhooks)
@Injectable()
export class DeliveryProcessor {
  constructor(private readonly delivery: WebhookDelivery) {}

  @Process({ concurrency: 32 })
  async handle(job: Job<DeliveryJob>): Promise<string> {
    const { endpointId, ...message } = job.data;
    const outcome = await this.delivery.deliver(endpointId, message, job.attemptsMade + 1);
    if (outcome.kind === 'failed') {
      // Disabled by this very attempt: no point in retrying.
      if (outcome.disabledNow) job.discard();
      throw new Error(`delivery to endpoint ${endpointId} failed: ${outcome.attempt.error}`);
    }
    return outcome.kind;
  }
}
