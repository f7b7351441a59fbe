import { Process, Processor } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bull';
import { DeliveryJob, InFlightDeliveries, WebhookDelivery } from '@clarion/outbound-webhooks';
import { QueueName } from '@clarion/queue';

/**
 * Consumes the deliveries queue: one attempt per run. A failed attempt throws, so bull retries it
 * with the webhook backoff until the attempts (≥ 24 h of them) run out. A delivery that ends —
 * delivered, dropped, disabled or out of attempts — is no longer in flight.
 */
@Processor(QueueName.OutboundWebhooks)
@Injectable()
export class DeliveryProcessor {
  constructor(
    private readonly delivery: WebhookDelivery,
    private readonly inFlight: InFlightDeliveries,
  ) {}

  @Process({ concurrency: 32 })
  async handle(job: Job<DeliveryJob>): Promise<string> {
    const { endpointId, ...message } = job.data;
    const attempt = job.attemptsMade + 1;
    const outcome = await this.delivery.deliver(endpointId, message, attempt);
    if (outcome.kind === 'failed') {
      const lastAttempt = outcome.disabledNow || attempt >= (job.opts.attempts ?? 1);
      if (lastAttempt) await this.inFlight.finish(message.eventId, endpointId);
      // Disabled by this very attempt: no point in retrying.
      if (outcome.disabledNow) job.discard();
      throw new Error(`delivery to endpoint ${endpointId} failed: ${outcome.attempt.error}`);
    }
    await this.inFlight.finish(message.eventId, endpointId);
    return outcome.kind;
  }
}
