import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drip sequences. Each step owns a `sequence_step` broadcast (broadcasts.sequence_id/step) that
 * its sends go through. An enrolment is one contact's run through a sequence: `next_step` and
 * `next_due_at` say what the tick sends next and when; `anchor_at` is the instant the next
 * step's delay counts from (enrolment, then each step's due time), kept so that a delay edited
 * later can be re-applied. A restart makes a new run (the ledger keys recipients by enrolment).
 */
export class Sequences1764500000000 implements MigrationInterface {
  name = 'Sequences1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sequences (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      sender_id INT UNSIGNED NOT NULL,
      status ENUM('active','paused','deleted') NOT NULL DEFAULT 'active',
      send_window JSON NULL,
      timezone VARCHAR(64) NULL,
      stop_on_reply TINYINT(1) NOT NULL DEFAULT 1,
      stop_when JSON NULL,
      reenrollment ENUM('ignore','restart') NOT NULL DEFAULT 'ignore',
      created_by VARCHAR(100) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      deleted_at DATETIME(3) NULL,
      KEY ix_sequences_status (status, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE sequence_steps (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      sequence_id INT UNSIGNED NOT NULL,
      position SMALLINT UNSIGNED NOT NULL,
      template_name VARCHAR(512) NOT NULL,
      template_language VARCHAR(20) NOT NULL,
      variables JSON NULL,
      delay VARCHAR(40) NOT NULL,
      delay_seconds INT UNSIGNED NOT NULL,
      broadcast_id INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_sequence_steps_position (sequence_id, position)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE sequence_enrollments (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      sequence_id INT UNSIGNED NOT NULL,
      contact_id BIGINT UNSIGNED NOT NULL,
      run SMALLINT UNSIGNED NOT NULL DEFAULT 1,
      status ENUM('active','completed','stopped','unenrolled') NOT NULL DEFAULT 'active',
      next_step SMALLINT UNSIGNED NOT NULL DEFAULT 1,
      next_due_at DATETIME(3) NULL,
      anchor_at DATETIME(3) NOT NULL,
      stop_reason VARCHAR(64) NULL,
      enrolled_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      last_step_at DATETIME(3) NULL,
      ended_at DATETIME(3) NULL,
      UNIQUE KEY uq_enrollment_run (sequence_id, contact_id, run),
      KEY ix_enrollments_due (sequence_id, status, next_due_at),
      KEY ix_enrollments_contact (contact_id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS sequence_enrollments');
    await q.query('DROP TABLE IF EXISTS sequence_steps');
    await q.query('DROP TABLE IF EXISTS sequences');
  }
}
