import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics: inbound messages (replies, and the record sequences read to stop on reply),
 * status webhooks parked until their wamid is known, per-minute buckets for charts, and the
 * "awaiting delivery update" counter (sent, not delivered, not failed) on broadcast_stats.
 */
export class Stats1764400000000 implements MigrationInterface {
  name = 'Stats1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE inbound_messages (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      wamid VARCHAR(128) NOT NULL,
      phone_number_id VARCHAR(64) NOT NULL,
      from_phone VARCHAR(20) NOT NULL,
      contact_id BIGINT UNSIGNED NULL,
      received_at DATETIME(3) NOT NULL,
      type VARCHAR(32) NOT NULL,
      text TEXT NULL,
      payload VARCHAR(1000) NULL,
      context_wamid VARCHAR(128) NULL,
      recipient_id BIGINT UNSIGNED NULL,
      broadcast_id INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_inbound_wamid (wamid),
      KEY ix_inbound_contact (contact_id, received_at),
      KEY ix_inbound_phone (from_phone, received_at),
      KEY ix_inbound_unattributed (recipient_id, created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE parked_status_events (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      wamid VARCHAR(128) NOT NULL,
      status ENUM('sent','delivered','read','failed') NOT NULL,
      event JSON NOT NULL,
      parked_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_parked_wamid_status (wamid, status),
      KEY ix_parked_at (parked_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE broadcast_minute_stats (
      broadcast_id INT UNSIGNED NOT NULL,
      minute DATETIME NOT NULL,
      sent INT UNSIGNED NOT NULL DEFAULT 0,
      delivered INT UNSIGNED NOT NULL DEFAULT 0,
      \`read\` INT UNSIGNED NOT NULL DEFAULT 0,
      failed INT UNSIGNED NOT NULL DEFAULT 0,
      PRIMARY KEY (broadcast_id, minute)
    ) ENGINE=InnoDB`);

    await q.query(`ALTER TABLE broadcast_stats ADD COLUMN awaiting_delivery INT UNSIGNED NOT NULL DEFAULT 0 AFTER sent`);
    await q.query(`ALTER TABLE broadcast_recipients ADD KEY ix_recipient_failed (broadcast_id, failed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcast_recipients DROP KEY ix_recipient_failed');
    await q.query('ALTER TABLE broadcast_stats DROP COLUMN awaiting_delivery');
    await q.query('DROP TABLE IF EXISTS broadcast_minute_stats');
    await q.query('DROP TABLE IF EXISTS parked_status_events');
    await q.query('DROP TABLE IF EXISTS inbound_messages');
  }
}
