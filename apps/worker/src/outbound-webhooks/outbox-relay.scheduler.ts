import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Environment } from '@clarion/config';
import { EndpointsRepository, OutboxRelay } from '@clarion/outbound-webhooks';
import { JobLock } from '@clarion/queue';

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Every worker relays the outbox on an interval (rows are locked with SKIP LOCKED, so workers
 * share the work) and queues again the in-flight deliveries an emptied Redis lost; one worker an
 * hour prunes the delivery log.
 */
@Injectable()
export class OutboxRelayScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayScheduler.name);
  private stopped = false;
  private running = false;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly registry: SchedulerRegistry,
    private readonly relay: OutboxRelay,
    private readonly endpoints: EndpointsRepository,
    private readonly lock: JobLock,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      'webhook-outbox-relay',
      setInterval(() => void this.tick(), this.config.get('WEBHOOK_RELAY_INTERVAL_MS', { infer: true })),
    );
    const checkMs = this.config.get('WEBHOOK_IN_FLIGHT_CHECK_MS', { infer: true });
    this.registry.addInterval(
      'webhook-in-flight-check',
      setInterval(() => void this.requeueLost(checkMs), Math.max(100, Math.floor(checkMs / 2))),
    );
    this.registry.addInterval(
      'webhook-deliveries-prune',
      setInterval(() => void this.prune(), PRUNE_EVERY_MS),
    );
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      await this.relay.drain();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'webhook outbox relay failed; the next tick retries');
    } finally {
      this.running = false;
    }
  }

  async requeueLost(checkMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      const requeued = await this.relay.requeueLost(checkMs);
      if (requeued) this.logger.warn({ requeued }, 'webhook deliveries Redis no longer held were queued again');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'webhook in-flight check failed; the next tick retries');
    }
  }

  async prune(): Promise<void> {
    if (this.stopped) return;
    try {
      const days = this.config.get('WEBHOOK_DELIVERY_RETENTION_DAYS', { infer: true });
      const removed = await this.lock.runExclusive('webhook-deliveries-prune', 10 * 60_000, () => this.endpoints.pruneDeliveries(days));
      if (removed) this.logger.log({ removed }, 'webhook delivery log pruned');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'webhook delivery log pruning failed; the next firing retries');
    }
  }
}
