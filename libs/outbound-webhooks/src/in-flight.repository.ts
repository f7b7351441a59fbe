import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveryJob } from './delivery-queue';

/**
 * The deliveries the queue holds, as MySQL knows them: written in the relay's transaction, removed
 * when a delivery ends (delivered, dropped, or out of attempts). What Redis loses is found here.
 */
@Injectable()
export class InFlightDeliveries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(m: EntityManager, jobs: DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await m.query('INSERT IGNORE INTO webhook_in_flight (event_id, endpoint_id, message) VALUES ?', [
      jobs.map(({ endpointId, ...message }) => [message.eventId, endpointId, JSON.stringify(message)]),
    ]);
  }

  async finish(eventId: string, endpointId: number): Promise<void> {
    await this.db.query('DELETE FROM webhook_in_flight WHERE event_id = ? AND endpoint_id = ?', [eventId, endpointId]);
  }

  /** Deliveries not checked for `olderThanMs`; each is marked checked now, whatever the caller finds. */
  async takeUnchecked(olderThanMs: number, limit: number): Promise<DeliveryJob[]> {
    return this.db.transaction(async (m) => {
      const rows: Array<{ event_id: string; endpoint_id: number; message: unknown }> = await m.query(
        'SELECT event_id, endpoint_id, message FROM webhook_in_flight WHERE checked_at < NOW(3) - INTERVAL ? MICROSECOND ORDER BY checked_at LIMIT ? FOR UPDATE SKIP LOCKED',
        [olderThanMs * 1000, limit],
      );
      if (rows.length === 0) return [];
      await m.query('UPDATE webhook_in_flight SET checked_at = NOW(3) WHERE (event_id, endpoint_id) IN (?)', [
        rows.map((r) => [r.event_id, r.endpoint_id]),
      ]);
      return rows.map((r) => ({
        endpointId: Number(r.endpoint_id),
        ...((typeof r.message === 'string' ? JSON.parse(r.message) : r.message) as Omit<DeliveryJob, 'endpointId'>),
      }));
    });
  }
}
