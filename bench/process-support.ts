import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { dropDatabase, parseDatabaseUrl } from '@clarion/database';
import { redisOptionsFromUrl } from '@clarion/queue';

/** Helpers for benchmarks: their own database and Redis keys, and Clarion's apps as separate processes. */

export interface BenchRun {
  runId: string;
  databaseUrl: string;
  redisPrefix: string;
  redisUrl: string;
  /** What every Clarion process of the run needs: its database, Redis prefix, an encryption key, quiet logs. */
  env: { DATABASE_URL: string; REDIS_URL: string; REDIS_PREFIX: string; CLARION_ENCRYPTION_KEY: string; LOG_LEVEL: string };
  /** Drops the run's database (kept with BENCH_KEEP_DB=1) and deletes its Redis keys; call once its processes have stopped. */
  cleanUp(): Promise<void>;
}

/**
 * A run of its own: an id, a database `clarion_bench_<label>_<id>` on the server of
 * DATABASE_URL (local root by default) and a Redis key prefix on REDIS_URL.
 */
export function benchRun(label: string): BenchRun {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const base = parseDatabaseUrl(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/clarion');
  const credentials = `${encodeURIComponent(base.user)}${base.password ? `:${encodeURIComponent(base.password)}` : ''}`;
  const databaseUrl = `mysql://${credentials}@${base.host}:${base.port}/clarion_bench_${label}_${runId}`;
  const redisPrefix = `clarion-bench-${runId}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return {
    runId,
    databaseUrl,
    redisPrefix,
    redisUrl,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      CLARION_ENCRYPTION_KEY: process.env.CLARION_ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
    cleanUp: async () => {
      if (process.env.BENCH_KEEP_DB !== '1') await dropDatabase(databaseUrl);
      await deleteRedisKeys(redisUrl, redisPrefix);
    },
  };
}

/** Deletes the keys under `prefix` (a bench run's). */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(redisOptionsFromUrl(url));
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export { freePort } from '../apps/sandbox/src/spawn-sandbox';

/** SIGTERM, resolving once the process has exited (its heartbeats, claims and connections gone with it). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resolves once `url` answers 2xx; gives up after 60 s. */
export async function waitHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become healthy within 60 s`);
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, …); 0 if the process is gone or not Linux. */
export function procStatusKb(pid: number, field: string): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
