import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports count rows their mode skipped (create-only: the contact exists; update-only: it does
 * not), so created + updated + duplicates + invalid + skipped = processedRows.
 */
export class ImportProgress1764100000000 implements MigrationInterface {
  name = 'ImportProgress1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE imports ADD COLUMN skipped INT UNSIGNED NOT NULL DEFAULT 0 AFTER invalid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE imports DROP COLUMN skipped');
  }
}
