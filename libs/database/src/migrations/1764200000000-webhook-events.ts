import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook inbox: every verified POST is stored here before Meta gets its 200, then
 * applied by workers. `body_sha256` makes a retried delivery of the same body a no-op;
 * `lease_until` lets a worker claim rows without holding a transaction while it applies
 * them (a crashed worker's rows come back when the lease runs out).
 * `webhook_event_keys` remembers applied inbound messages and preference changes so a
 * duplicate, even inside a different body, acts once.
 */
export class WebhookEvents1764200000000 implements MigrationInterface {
  name = 'WebhookEvents1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_events (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      received_at DATETIME(3) NOT NULL,
      body_sha256 BINARY(32) NOT NULL,
      body MEDIUMBLOB NOT NULL,
      processed_at DATETIME(3) NULL,
      lease_until DATETIME(3) NULL,
      attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
      last_error VARCHAR(1000) NULL,
      UNIQUE KEY uq_webhook_events_body (body_sha256),
      KEY ix_webhook_events_pending (processed_at, id),
      KEY ix_webhook_events_received (received_at)
    ) ENGINE=InnoDB`);

    await q.query(`CREATE TABLE webhook_event_keys (
      event_key VARCHAR(191) NOT NULL PRIMARY KEY,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      KEY ix_webhook_event_keys_created (created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS webhook_event_keys');
    await q.query('DROP TABLE IF EXISTS webhook_events');
  }
}
