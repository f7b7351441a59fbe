import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Meta's quality score of a template (`message_template_quality_update`: GREEN, YELLOW, RED,
 * UNKNOWN), kept beside its status so a campaign's template can be judged before it is paused.
 */
export class TemplateQuality1765600000000 implements MigrationInterface {
  name = 'TemplateQuality1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE templates ADD COLUMN quality_score VARCHAR(20) NULL AFTER status_reason');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE templates DROP COLUMN quality_score');
  }
}
