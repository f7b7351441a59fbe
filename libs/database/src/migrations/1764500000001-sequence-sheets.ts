import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sequence sheets: a CSV uploaded to enrol its rows. The sheet goes through the contacts import
 * pipeline (parsing, phone normalisation, attributes, errors report); once that import has
 * completed, the sequences tick enrols its contacts and records how many.
 */
export class SequenceSheets1764500000001 implements MigrationInterface {
  name = 'SequenceSheets1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sequence_sheets (
      import_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      sequence_id INT UNSIGNED NOT NULL,
      status ENUM('importing','enrolled','failed') NOT NULL DEFAULT 'importing',
      reenrollment ENUM('ignore','restart') NULL,
      enrolled INT UNSIGNED NULL,
      already_enrolled INT UNSIGNED NULL,
      opted_out INT UNSIGNED NULL,
      failure_reason VARCHAR(500) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      finished_at DATETIME(3) NULL,
      KEY ix_sequence_sheets_status (status),
      KEY ix_sequence_sheets_sequence (sequence_id, import_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS sequence_sheets');
  }
}
