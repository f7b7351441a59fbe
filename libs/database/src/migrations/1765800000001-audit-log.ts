import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who did what: one row per audited call, only ever inserted (the retention job deletes rows
 * older than AUDIT_RETENTION_DAYS, oldest first).
 */
export class AuditLog1765800000001 implements MigrationInterface {
  name = 'AuditLog1765800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE audit_log (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      actor_type ENUM('user','token','anonymous') NOT NULL,
      actor_id VARCHAR(64) NULL,
      actor_name VARCHAR(255) NULL,
      action VARCHAR(64) NOT NULL,
      outcome ENUM('succeeded','failed') NOT NULL DEFAULT 'succeeded',
      target_type VARCHAR(64) NULL,
      target_id VARCHAR(64) NULL,
      \`before\` JSON NULL,
      \`after\` JSON NULL,
      address VARCHAR(64) NULL,
      KEY ix_audit_at (at),
      KEY ix_audit_action (action, id),
      KEY ix_audit_actor (actor_type, actor_id, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS audit_log');
  }
}
