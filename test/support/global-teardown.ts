import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { dropDatabase, parseDatabaseUrl } from '../../libs/database/src';
import { redisOptionsFromUrl } from '../../libs/queue/src/redis-options';

/** Drops the run's database and Redis keys (kept with KEEP_TEST_DB=1 for debugging). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DB === '1' || !process.env.DATABASE_URL) return;
  await dropDatabase(process.env.DATABASE_URL);
  await dropLeftoverFileDatabases(process.env.DATABASE_URL);
  const redis = new Redis(redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));
  try {
    // Rate-limit counters are wrapped in a hash tag: {<prefix>:throttle:…}:hits
    for (const pattern of [`${process.env.REDIS_PREFIX}*`, `{${process.env.REDIS_PREFIX}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** Per-file databases of files that crashed before their afterAll. */
async function dropLeftoverFileDatabases(runDatabaseUrl: string): Promise<void> {
  const run = parseDatabaseUrl(runDatabaseUrl);
  const db = await createConnection({ host: run.host, port: run.port, user: run.user, password: run.password });
  try {
    const [rows] = await db.query('SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?', [
      `${run.database}\\_%`,
    ]);
    for (const { name } of rows as Array<{ name: string }>) await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await db.end();
  }
}
