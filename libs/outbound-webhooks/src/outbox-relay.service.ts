import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DeliveryJob, DeliveryQueue } from './delivery-queue';
import type { OutboundMessage } from './delivery.service';
import { EndpointsRepository } from './endpoints.repository';
import { InFlightDeliveries } from './in-flight.repository';

const RELAY_BATCH = 500;

/**
 * Moves outbox rows to the deliveries queue: one job per subscribed, enabled endpoint, recorded
 * as in flight, then the rows are deleted, in one transaction. Rows are taken FOR UPDATE SKIP LOCKED, so any number of
 * workers relay side by side without taking the same rows. An event nobody subscribes to is dropped.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly endpoints: EndpointsRepository,
    private readonly queue: DeliveryQueue,
    private readonly inFlight: InFlightDeliveries,
  ) {}

  /** Relays one batch; returns how many outbox rows it took (RELAY_BATCH means: call again). */
  async relayBatch(): Promise<number> {
    return this.db.transaction(async (m) => {
      const rows: Array<{ id: string; event_id: string; type: string; data: unknown; occurred_at: Date }> = await m.query(
        'SELECT id, event_id, type, data, occurred_at FROM webhook_outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED',
        [RELAY_BATCH],
      );
      if (rows.length === 0) return 0;
      const routes = await this.endpoints.listEnabled();
      const jobs: DeliveryJob[] = [];
      for (const r of rows) {
        const subscribers = routes.filter((route) => route.events.includes(r.type));
        if (subscribers.length === 0) continue;
        const message: OutboundMessage = {
          eventId: r.event_id,
          type: r.type,
          occurredAt: new Date(r.occurred_at).toISOString(),
          data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
        };
        for (const route of subscribers) jobs.push({ endpointId: route.id, ...message });
      }
      await this.inFlight.record(m, jobs);
      await this.queue.addAll(jobs);
      await m.query('DELETE FROM webhook_outbox WHERE id IN (?)', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Queues again the in-flight deliveries that Redis no longer holds; returns how many. */
  async requeueLost(checkAfterMs: number, limit = RELAY_BATCH): Promise<number> {
    const unchecked = await this.inFlight.takeUnchecked(checkAfterMs, limit);
    if (unchecked.length === 0) return 0;
    const lost = await this.queue.missing(unchecked);
    await this.queue.addAll(lost);
    return lost.length;
  }

  /** Relays until the outbox is empty (or `maxBatches`); returns the rows taken. */
  async drain(maxBatches = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.relayBatch();
      total += n;
      if (n < RELAY_BATCH) break;
    }
    return total;
  }
}
