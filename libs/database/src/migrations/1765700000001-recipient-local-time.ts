import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Broadcasts sent at each recipient's own local time and held outside quiet hours: the
 * broadcast's settings, and each recipient's time zone, resolved once at fan-out (the claim-time
 * quiet-hours check reads it; the recipient's due time goes in next_attempt_at).
 */
export class RecipientLocalTime1765700000001 implements MigrationInterface {
  name = 'RecipientLocalTime1765700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE broadcasts
      ADD COLUMN send_at VARCHAR(20) NULL AFTER scheduled_at,
      ADD COLUMN local_time_passed VARCHAR(10) NULL AFTER send_at,
      ADD COLUMN quiet_hours JSON NULL AFTER local_time_passed,
      ADD COLUMN timezone VARCHAR(64) NULL AFTER quiet_hours`);
    await q.query('ALTER TABLE broadcast_recipients ADD COLUMN time_zone VARCHAR(64) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcast_recipients DROP COLUMN time_zone');
    await q.query(
      'ALTER TABLE broadcasts DROP COLUMN send_at, DROP COLUMN local_time_passed, DROP COLUMN quiet_hours, DROP COLUMN timezone',
    );
  }
}
