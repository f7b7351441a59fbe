import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A sequence step's media header URL (templated per contact like its variables), as a broadcast has. */
export class SequenceStepMedia1765700000000 implements MigrationInterface {
  name = 'SequenceStepMedia1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sequence_steps ADD COLUMN header_media_url VARCHAR(1000) NULL AFTER variables');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sequence_steps DROP COLUMN header_media_url');
  }
}
