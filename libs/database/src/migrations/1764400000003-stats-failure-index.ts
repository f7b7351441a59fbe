import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failures by error code read from the index alone: (broadcast, failed_at, error_code) changes
 * once per failed recipient, unlike `status`, so it costs the hot status path nothing.
 */
export class StatsFailureIndex1764400000003 implements MigrationInterface {
  name = 'StatsFailureIndex1764400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE broadcast_recipients ADD KEY ix_recipient_failed_code (broadcast_id, failed_at, error_code), DROP KEY ix_recipient_failed',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE broadcast_recipients ADD KEY ix_recipient_failed (broadcast_id, failed_at), DROP KEY ix_recipient_failed_code',
    );
  }
}
