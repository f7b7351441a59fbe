import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: the endpoints customers register (secret encrypted like senders' tokens),
 * the outbox that state changes write to in their own transaction, and one log row per delivery
 * attempt.
 */
export class OutboundWebhooks1765800000000 implements MigrationInterface {
  name = 'OutboundWebhooks1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      url VARCHAR(2000) NOT NULL,
      description VARCHAR(500) NULL,
      events JSON NOT NULL,
      secret_enc TEXT NOT NULL,
      status ENUM('enabled','disabled') NOT NULL DEFAULT 'enabled',
      disabled_reason VARCHAR(500) NULL,
      disabled_at DATETIME(3) NULL,
      failing_since DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE webhook_outbox (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      event_id CHAR(36) NOT NULL,
      type VARCHAR(64) NOT NULL,
      data JSON NOT NULL,
      occurred_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE webhook_deliveries (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      endpoint_id INT UNSIGNED NOT NULL,
      event_id CHAR(36) NOT NULL,
      event_type VARCHAR(64) NOT NULL,
      attempt INT UNSIGNED NOT NULL,
      status ENUM('succeeded','failed') NOT NULL,
      response_code SMALLINT UNSIGNED NULL,
      error VARCHAR(500) NULL,
      duration_ms INT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      KEY ix_delivery_endpoint (endpoint_id, id),
      KEY ix_delivery_created (created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS webhook_deliveries');
    await q.query('DROP TABLE IF EXISTS webhook_outbox');
    await q.query('DROP TABLE IF EXISTS webhook_endpoints');
  }
}
