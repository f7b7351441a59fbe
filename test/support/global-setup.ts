import { randomBytes } from 'node:crypto';
import { prepareDatabase } from '../../libs/database/src';

/**
 * Each test run gets its own database and Redis key prefix, so runs never collide.
 * Jest's workers inherit these variables from this process.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.CLARION_TEST_RUN = runId;
  process.env.NODE_ENV = 'test';
  process.env.DATABASE_URL = `mysql://root@127.0.0.1:3306/clarion_test_${runId}`;
  process.env.REDIS_PREFIX = `clarion-test-${runId}`;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  process.env.CLARION_ENCRYPTION_KEY = randomBytes(32).toString('hex');
  await prepareDatabase(process.env.DATABASE_URL);
}
