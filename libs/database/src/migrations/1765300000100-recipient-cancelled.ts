import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cancelling a broadcast ends its unsent recipients `cancelled` (in both the dispatch state and
 * the reported status) instead of leaving them pending, and counts them on broadcast_stats, so
 * `queued` (total − accepted − skipped − refused − cancelled) reaches 0. The ENUM values are
 * appended: MariaDB changes only the table's metadata.
 */
export class RecipientCancelled1765300000100 implements MigrationInterface {
  name = 'RecipientCancelled1765300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE broadcast_recipients
      MODIFY dispatch_state ENUM('pending','claimed','accepted','failed','skipped','cancelled') NOT NULL DEFAULT 'pending',
      MODIFY status ENUM('queued','sent','delivered','read','failed','skipped','cancelled') NOT NULL DEFAULT 'queued'`);
    await q.query('ALTER TABLE broadcast_stats ADD COLUMN cancelled INT UNSIGNED NOT NULL DEFAULT 0 AFTER skipped');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcast_stats DROP COLUMN cancelled');
    await q.query(
      "UPDATE broadcast_recipients SET dispatch_state = 'skipped', status = 'skipped', skip_reason = 'cancelled' WHERE dispatch_state = 'cancelled'",
    );
    await q.query(`ALTER TABLE broadcast_recipients
      MODIFY dispatch_state ENUM('pending','claimed','accepted','failed','skipped') NOT NULL DEFAULT 'pending',
      MODIFY status ENUM('queued','sent','delivered','read','failed','skipped') NOT NULL DEFAULT 'queued'`);
  }
}
