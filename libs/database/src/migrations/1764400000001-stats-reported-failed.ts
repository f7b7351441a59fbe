import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failures WhatsApp reported by webhook (as opposed to sends it refused), so that views can tell
 * how many recipients are still queued: total − accepted − skipped − refused.
 */
export class StatsReportedFailed1764400000001 implements MigrationInterface {
  name = 'StatsReportedFailed1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcast_stats ADD COLUMN reported_failed INT UNSIGNED NOT NULL DEFAULT 0 AFTER failed');
    await q.query('ALTER TABLE broadcast_recipients ADD KEY ix_recipient_broadcast (broadcast_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcast_recipients DROP KEY ix_recipient_broadcast');
    await q.query('ALTER TABLE broadcast_stats DROP COLUMN reported_failed');
  }
}
