import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-country figures of each broadcast, maintained as webhooks arrive (like the counters), so
 * the breakdown reads a handful of rows instead of grouping a million recipients. `failed`
 * here is what WhatsApp reported failed; refused sends are in the broadcast's own counter.
 */
export class StatsCountries1764400000002 implements MigrationInterface {
  name = 'StatsCountries1764400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE broadcast_country_stats (
      broadcast_id INT UNSIGNED NOT NULL,
      country CHAR(2) NOT NULL DEFAULT '',
      sent INT UNSIGNED NOT NULL DEFAULT 0,
      delivered INT UNSIGNED NOT NULL DEFAULT 0,
      \`read\` INT UNSIGNED NOT NULL DEFAULT 0,
      failed INT UNSIGNED NOT NULL DEFAULT 0,
      replied INT UNSIGNED NOT NULL DEFAULT 0,
      cost DECIMAL(14,6) NOT NULL DEFAULT 0,
      PRIMARY KEY (broadcast_id, country)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS broadcast_country_stats');
  }
}
