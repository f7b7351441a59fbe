import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Broadcasts and their recipient ledger: one row per broadcast × contact (× enrolment for
 * sequence steps). `dispatch_state` is the engine's (pending → claimed → accepted | failed |
 * skipped); `status` is what WhatsApp reported, the highest state reached, with a timestamp
 * per state so that read implies delivered implies sent whatever order webhooks came in.
 * `broadcast_stats` holds the counters, maintained incrementally.
 */
export class BroadcastLedger1764000000001 implements MigrationInterface {
  name = 'BroadcastLedger1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE broadcasts (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      kind ENUM('broadcast','sequence_step') NOT NULL DEFAULT 'broadcast',
      sender_id INT UNSIGNED NOT NULL,
      template_id INT UNSIGNED NOT NULL,
      template_name VARCHAR(512) NOT NULL,
      template_language VARCHAR(20) NOT NULL,
      template_category VARCHAR(20) NOT NULL,
      audience JSON NULL,
      variables JSON NULL,
      header_media_url VARCHAR(1000) NULL,
      tags JSON NULL,
      status ENUM('draft','scheduled','running','paused','waiting_quota','completed','cancelled','failed') NOT NULL DEFAULT 'draft',
      status_reason VARCHAR(500) NULL,
      scheduled_at DATETIME(3) NULL,
      started_at DATETIME(3) NULL,
      finished_at DATETIME(3) NULL,
      error_policy JSON NULL,
      copied_from_id INT UNSIGNED NULL,
      sequence_id INT UNSIGNED NULL,
      sequence_step INT UNSIGNED NULL,
      estimated_cost DECIMAL(14,4) NULL,
      created_by VARCHAR(100) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      KEY ix_broadcasts_status (status, scheduled_at),
      KEY ix_broadcasts_sender (sender_id, status),
      KEY ix_broadcasts_created (created_at),
      KEY ix_broadcasts_name (name),
      KEY ix_broadcasts_sequence (sequence_id, sequence_step)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE broadcast_recipients (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      broadcast_id INT UNSIGNED NOT NULL,
      contact_id BIGINT UNSIGNED NOT NULL,
      enrollment_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
      phone VARCHAR(20) NOT NULL,
      country CHAR(2) NULL,
      dispatch_state ENUM('pending','claimed','accepted','failed','skipped') NOT NULL DEFAULT 'pending',
      status ENUM('queued','sent','delivered','read','failed','skipped') NOT NULL DEFAULT 'queued',
      params JSON NULL,
      skip_reason VARCHAR(64) NULL,
      wamid VARCHAR(128) NULL,
      attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
      next_attempt_at DATETIME(3) NULL,
      claimed_at DATETIME(3) NULL,
      accepted_at DATETIME(3) NULL,
      sent_at DATETIME(3) NULL,
      delivered_at DATETIME(3) NULL,
      read_at DATETIME(3) NULL,
      failed_at DATETIME(3) NULL,
      replied_at DATETIME(3) NULL,
      error_code INT NULL,
      error_title VARCHAR(255) NULL,
      error_detail VARCHAR(1000) NULL,
      cost DECIMAL(12,6) NULL,
      pricing_category VARCHAR(32) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_recipient (broadcast_id, contact_id, enrollment_id),
      UNIQUE KEY uq_recipient_wamid (wamid),
      KEY ix_recipient_dispatch (broadcast_id, dispatch_state, id),
      KEY ix_recipient_status (broadcast_id, status, id),
      KEY ix_recipient_contact (contact_id, accepted_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE broadcast_stats (
      broadcast_id INT UNSIGNED NOT NULL PRIMARY KEY,
      total INT UNSIGNED NOT NULL DEFAULT 0,
      accepted INT UNSIGNED NOT NULL DEFAULT 0,
      sent INT UNSIGNED NOT NULL DEFAULT 0,
      delivered INT UNSIGNED NOT NULL DEFAULT 0,
      \`read\` INT UNSIGNED NOT NULL DEFAULT 0,
      replied INT UNSIGNED NOT NULL DEFAULT 0,
      failed INT UNSIGNED NOT NULL DEFAULT 0,
      skipped INT UNSIGNED NOT NULL DEFAULT 0,
      cost DECIMAL(14,6) NOT NULL DEFAULT 0,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS broadcast_stats');
    await q.query('DROP TABLE IF EXISTS broadcast_recipients');
    await q.query('DROP TABLE IF EXISTS broadcasts');
  }
}
