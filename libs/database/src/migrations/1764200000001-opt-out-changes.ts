import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest opt-out choice WhatsApp reported per phone (STOP/START keywords, Meta's
 * `user_preferences`), with the time the person made it. Webhooks arrive in any order and
 * are applied by several workers at once: comparing with this time makes the newest choice
 * win, whatever order they are processed in.
 */
export class OptOutChanges1764200000001 implements MigrationInterface {
  name = 'OptOutChanges1764200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE opt_out_changes (
      phone VARCHAR(20) NOT NULL PRIMARY KEY,
      opted_out TINYINT(1) NOT NULL,
      changed_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS opt_out_changes');
  }
}
