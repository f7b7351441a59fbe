import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who sign in to the console, and their sessions. Emails are stored lower-cased (and the
 * column's collation is case-insensitive too). A session is known only by the SHA-256 of its
 * random id, so a copy of this table signs nobody in.
 */
export class UsersSessions1765300000000 implements MigrationInterface {
  name = 'UsersSessions1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      email VARCHAR(254) NOT NULL,
      name VARCHAR(200) NOT NULL,
      role ENUM('admin','marketer','analyst') NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      disabled TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      last_sign_in_at DATETIME(3) NULL,
      UNIQUE KEY uq_users_email (email)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`CREATE TABLE sessions (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      user_id INT UNSIGNED NOT NULL,
      token_hash CHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      last_seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      address VARCHAR(64) NULL,
      user_agent VARCHAR(255) NULL,
      UNIQUE KEY uq_sessions_hash (token_hash),
      KEY ix_sessions_user (user_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS sessions');
    await q.query('DROP TABLE IF EXISTS users');
  }
}
