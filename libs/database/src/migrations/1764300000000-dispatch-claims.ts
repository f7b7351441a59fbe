import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the dispatch engine needs beyond the ledger: who claimed a recipient (so that claims of a
 * dead worker can be handed back) with a per-batch token, a (broadcast, phone) index for the
 * duplicate-phone skip, and on broadcasts the fan-out cursor (resumable materialisation) and the
 * time a `waiting_quota` broadcast may resume.
 */
export class DispatchClaims1764300000000 implements MigrationInterface {
  name = 'DispatchClaims1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE broadcast_recipients
      ADD COLUMN claimed_by VARCHAR(64) NULL,
      ADD COLUMN claim_token CHAR(16) NULL,
      ADD KEY ix_recipient_claim (claim_token),
      ADD KEY ix_recipient_phone (broadcast_id, phone)`);
    await q.query(`ALTER TABLE broadcasts
      ADD COLUMN fanout_cursor BIGINT UNSIGNED NOT NULL DEFAULT 0,
      ADD COLUMN fanout_done_at DATETIME(3) NULL,
      ADD COLUMN resume_at DATETIME(3) NULL,
      ADD COLUMN audience_count INT UNSIGNED NULL`);
    // Sends Meta refused outright (never accepted): lets `queued` be total − skipped − accepted − refused
    // while `failed` also counts accepted messages later reported failed.
    await q.query('ALTER TABLE broadcast_stats ADD COLUMN refused INT UNSIGNED NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE broadcast_stats DROP COLUMN refused');
    await q.query(
      'ALTER TABLE broadcasts DROP COLUMN fanout_cursor, DROP COLUMN fanout_done_at, DROP COLUMN resume_at, DROP COLUMN audience_count',
    );
    await q.query(
      'ALTER TABLE broadcast_recipients DROP KEY ix_recipient_phone, DROP KEY ix_recipient_claim, DROP COLUMN claim_token, DROP COLUMN claimed_by',
    );
  }
}
