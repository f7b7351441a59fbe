import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables every capability reads: API tokens, contacts with lists and tags, imports,
 * senders and templates. Written for both MariaDB 10.6+ and MySQL 8 (JSON is LONGTEXT
 * with a validity check on MariaDB, native on MySQL; both behave the same for us).
 */
export class CoreSchema1764000000000 implements MigrationInterface {
  name = 'CoreSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_tokens (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      role ENUM('admin','marketer','analyst') NOT NULL,
      token_hash CHAR(64) NOT NULL,
      token_hint VARCHAR(16) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      last_used_at DATETIME(3) NULL,
      revoked_at DATETIME(3) NULL,
      UNIQUE KEY uq_api_tokens_hash (token_hash)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE contacts (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      phone VARCHAR(20) NOT NULL,
      name VARCHAR(255) NULL,
      country CHAR(2) NULL,
      attributes JSON NULL,
      opted_out TINYINT(1) NOT NULL DEFAULT 0,
      opted_out_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_contacts_phone (phone),
      KEY ix_contacts_name (name),
      KEY ix_contacts_created (created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE contact_lists (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(191) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_contact_lists_name (name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE contact_list_members (
      list_id INT UNSIGNED NOT NULL,
      contact_id BIGINT UNSIGNED NOT NULL,
      PRIMARY KEY (list_id, contact_id),
      KEY ix_list_members_contact (contact_id)
    ) ENGINE=InnoDB`);

    await q.query(`CREATE TABLE contact_tags (
      contact_id BIGINT UNSIGNED NOT NULL,
      tag VARCHAR(100) NOT NULL,
      PRIMARY KEY (contact_id, tag),
      KEY ix_contact_tags_tag (tag, contact_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE imports (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      status ENUM('queued','running','completed','failed') NOT NULL DEFAULT 'queued',
      file_name VARCHAR(255) NULL,
      file_path VARCHAR(500) NOT NULL,
      file_bytes BIGINT UNSIGNED NOT NULL DEFAULT 0,
      options JSON NOT NULL,
      list_id INT UNSIGNED NULL,
      total_rows INT UNSIGNED NOT NULL DEFAULT 0,
      processed_rows INT UNSIGNED NOT NULL DEFAULT 0,
      created INT UNSIGNED NOT NULL DEFAULT 0,
      updated INT UNSIGNED NOT NULL DEFAULT 0,
      duplicates INT UNSIGNED NOT NULL DEFAULT 0,
      invalid INT UNSIGNED NOT NULL DEFAULT 0,
      failure_reason VARCHAR(1000) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      started_at DATETIME(3) NULL,
      finished_at DATETIME(3) NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE import_contacts (
      import_id BIGINT UNSIGNED NOT NULL,
      contact_id BIGINT UNSIGNED NOT NULL,
      PRIMARY KEY (import_id, contact_id)
    ) ENGINE=InnoDB`);

    await q.query(`CREATE TABLE import_errors (
      import_id BIGINT UNSIGNED NOT NULL,
      row_no INT UNSIGNED NOT NULL,
      reason VARCHAR(500) NOT NULL,
      raw TEXT NULL,
      PRIMARY KEY (import_id, row_no)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE senders (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      api ENUM('cloud','onprem') NOT NULL,
      phone_number_id VARCHAR(64) NOT NULL,
      waba_id VARCHAR(64) NULL,
      base_url VARCHAR(500) NULL,
      connection ENUM('single','multi') NOT NULL DEFAULT 'single',
      access_token_enc TEXT NOT NULL,
      throughput_mps INT UNSIGNED NOT NULL,
      messaging_limit INT UNSIGNED NULL,
      portfolio VARCHAR(100) NULL,
      quality_rating VARCHAR(20) NULL,
      status ENUM('active','paused','broken') NOT NULL DEFAULT 'active',
      status_reason VARCHAR(500) NULL,
      synced_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_senders_phone_number (phone_number_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE templates (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      waba_id VARCHAR(64) NOT NULL DEFAULT '',
      meta_id VARCHAR(64) NULL,
      name VARCHAR(512) NOT NULL,
      language VARCHAR(20) NOT NULL,
      category ENUM('MARKETING','UTILITY','AUTHENTICATION') NOT NULL,
      status ENUM('APPROVED','PENDING','REJECTED','PAUSED','DISABLED') NOT NULL DEFAULT 'PENDING',
      status_reason VARCHAR(500) NULL,
      parameter_format ENUM('POSITIONAL','NAMED') NOT NULL DEFAULT 'POSITIONAL',
      components JSON NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_templates_name (waba_id, name(191), language),
      KEY ix_templates_meta (meta_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'templates',
      'senders',
      'import_errors',
      'import_contacts',
      'imports',
      'contact_tags',
      'contact_list_members',
      'contact_lists',
      'contacts',
      'api_tokens',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
