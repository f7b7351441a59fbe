import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl } from '../../libs/database/src/database-url';

/**
 * Every test file gets its own database (a copy of the run's migrated schema, made with
 * CREATE TABLE … LIKE, which takes milliseconds) and its own Redis key prefix, so no file
 * sees another's rows, queues or limiters. Worker processes a test spawns inherit both.
 */
const runDatabaseUrl = process.env.DATABASE_URL as string;
const runRedisPrefix = process.env.REDIS_PREFIX as string;
const fileSuffix = randomBytes(3).toString('hex');
const run = parseDatabaseUrl(runDatabaseUrl);
const fileDatabase = `${run.database}_${fileSuffix}`;

async function serverConnection() {
  return createConnection({ host: run.host, port: run.port, user: run.user, password: run.password, multipleStatements: true });
}

beforeAll(async () => {
  const db = await serverConnection();
  try {
    await db.query(`CREATE DATABASE \`${fileDatabase}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [tables] = await db.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'`,
      [run.database],
    );
    const names = (tables as Array<{ name: string }>).map((t) => t.name);
    await db.query(names.map((name) => `CREATE TABLE \`${fileDatabase}\`.\`${name}\` LIKE \`${run.database}\`.\`${name}\`;`).join('\n'));
    await db.query(`INSERT INTO \`${fileDatabase}\`.migrations SELECT * FROM \`${run.database}\`.migrations`);
  } finally {
    await db.end();
  }
  process.env.DATABASE_URL = runDatabaseUrl.replace(/\/[^/?]+(\?|$)/, `/${fileDatabase}$1`);
  process.env.REDIS_PREFIX = `${runRedisPrefix}-${fileSuffix}`;
});

afterAll(async () => {
  if (process.env.KEEP_TEST_DB === '1') return;
  const db = await serverConnection();
  try {
    await db.query(`DROP DATABASE IF EXISTS \`${fileDatabase}\``);
  } finally {
    await db.end();
  }
});
