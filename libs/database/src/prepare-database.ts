import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from './database-url';
import { dataSourceOptions } from './data-source-options';

const MIGRATION_LOCK = 'clarion_migrations';

/**
 * Creates the database if it is missing and applies pending migrations. Safe to call from
 * every process at once: a MySQL named lock lets one migrate while the others wait.
 * Returns the names of the migrations this call applied.
 */
export async function prepareDatabase(databaseUrl: string): Promise<string[]> {
  const target = parseDatabaseUrl(databaseUrl);
  const server = await createConnection({ host: target.host, port: target.port, user: target.user, password: target.password });
  try {
    await server.query(`CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.end();
  }

  const dataSource = new DataSource(dataSourceOptions(databaseUrl, { extra: { connectionLimit: 1 } }));
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT GET_LOCK(?, 120)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Drops a database; used by the test harness to clean up its own per-run database. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const target = parseDatabaseUrl(databaseUrl);
  const server = await createConnection({ host: target.host, port: target.port, user: target.user, password: target.password });
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
  } finally {
    await server.end();
  }
}
