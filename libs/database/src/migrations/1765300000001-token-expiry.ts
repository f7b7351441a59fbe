import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens may expire; the bootstrap admin token (CLARION_ADMIN_TOKEN) gets a row like any
 * other, marked `bootstrap`, so it can be listed and revoked (the API writes it at boot).
 */
export class TokenExpiry1765300000001 implements MigrationInterface {
  name = 'TokenExpiry1765300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens
      ADD COLUMN expires_at DATETIME(3) NULL AFTER created_at,
      ADD COLUMN bootstrap TINYINT(1) NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens DROP COLUMN expires_at, DROP COLUMN bootstrap');
  }
}
