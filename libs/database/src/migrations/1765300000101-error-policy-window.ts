import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The error policy judges the sends since a broadcast started or last resumed: a resume after
 * an automatic pause must not be paused again at once by the failures that caused it. These are
 * the broadcast's failed and attempted counts when it last resumed (0 until then).
 */
export class ErrorPolicyWindow1765300000101 implements MigrationInterface {
  name = 'ErrorPolicyWindow1765300000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE broadcasts
      ADD COLUMN policy_failed_base INT UNSIGNED NOT NULL DEFAULT 0,
      ADD COLUMN policy_attempted_base INT UNSIGNED NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcasts DROP COLUMN policy_failed_base, DROP COLUMN policy_attempted_base');
  }
}
