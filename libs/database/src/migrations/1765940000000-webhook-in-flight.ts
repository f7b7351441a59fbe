import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries handed to the queue and not yet finished, one row per event and endpoint, so a
 * Redis that comes back empty loses none of them: the worker re-queues the ones bull no longer holds.
 */
export class WebhookInFlight1765940000000 implements MigrationInterface {
  name = 'WebhookInFlight1765940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_in_flight (
      event_id CHAR(36) NOT NULL,
      endpoint_id INT UNSIGNED NOT NULL,
      message JSON NOT NULL,
      checked_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (event_id, endpoint_id),
      KEY ix_in_flight_checked (checked_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS webhook_in_flight');
  }
}
