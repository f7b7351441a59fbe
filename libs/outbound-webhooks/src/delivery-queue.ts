import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { JobOptions, Queue } from 'bull';
import type { Environment } from '@clarion/config';
import { QueueName } from '@clarion/queue';
import type { OutboundMessage } from './delivery.service';
import { deliveryAttempts, RetrySettings, WEBHOOK_BACKOFF } from './retry-schedule';

/** A delivery job: one event to one endpoint. */
export interface DeliveryJob extends OutboundMessage {
  endpointId: number;
}

export function retrySettings(config: ConfigService<Environment, true>): RetrySettings {
  return {
    baseMs: config.get('WEBHOOK_RETRY_BASE_MS', { infer: true }),
    maxDelayMs: config.get('WEBHOOK_RETRY_MAX_DELAY_MS', { infer: true }),
    windowSeconds: config.get('WEBHOOK_RETRY_WINDOW_SECONDS', { infer: true }),
  };
}

function jobIdOf(job: DeliveryJob): string {
  return `${job.eventId}:${job.endpointId}`;
}

/**
 * Producer side of the deliveries queue. The job id is the event's and the endpoint's, so a
 * relay that runs twice over the same outbox row (a crash before its DELETE committed) adds
 * nothing new while bull still holds the job.
 */
@Injectable()
export class DeliveryQueue {
  private readonly options: JobOptions;

  constructor(
    @InjectQueue(QueueName.OutboundWebhooks) private readonly queue: Queue<DeliveryJob>,
    config: ConfigService<Environment, true>,
  ) {
    this.options = {
      attempts: deliveryAttempts(retrySettings(config)),
      backoff: { type: WEBHOOK_BACKOFF },
      removeOnComplete: true,
      removeOnFail: 10_000,
    };
  }

  async addAll(jobs: DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((data) => ({ data, opts: { ...this.options, jobId: jobIdOf(data) } })));
  }

  /** The jobs bull no longer holds (waiting, delayed, active or failed): lost with an emptied Redis. */
  async missing(jobs: DeliveryJob[]): Promise<DeliveryJob[]> {
    const held = await Promise.all(jobs.map((j) => this.queue.getJob(jobIdOf(j))));
    return jobs.filter((_, i) => held[i] === null);
  }
}
