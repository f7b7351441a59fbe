import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '@clarion/database';
import { benchRun, freePort, stopProcess, procStatusKb, waitHealthy } from './process-support';

/** Shared by the statistics, history and export benchmarks: a fresh database and an in-process API. */
export interface StatsBench {
  app: INestApplication;
  db: DataSource;
  url: string;
  adminToken: string;
  /** The API's process id when it runs as its own process (`apiProcess`), else this one's. */
  apiPid: number;
  close(): Promise<void>;
}

/**
 * `apiProcess`: serve HTTP from a separate API process (built output, as `npm run start:api`),
 * so the benchmark's client does not share the server's thread; this process keeps an app
 * context for seeding either way.
 */
export async function startStatsBench(label: string, options: { apiProcess?: boolean } = {}): Promise<StatsBench> {
  const run = benchRun(label);
  const { databaseUrl } = run;
  const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
  Object.assign(process.env, {
    ...run.env,
    NODE_ENV: 'production',
    WHATSAPP_APP_SECRET: `bench-app-secret-${run.runId}`,
    CLARION_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'error',
  });
  await prepareDatabase(databaseUrl);
  // Loaded after the environment is set: the configuration is validated when modules load.
  const { ApiModule } = await import('../apps/api/src/api.module');
  const { configureApiApp } = await import('../apps/api/src/configure-app');
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { logger: false, bufferLogs: true });
  configureApiApp(app);
  let child: ChildProcess | undefined;
  let port: number;
  if (options.apiProcess) {
    await app.init();
    port = await freePort();
    child = spawn(process.execPath, [join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitHealthy(`http://127.0.0.1:${port}/health`);
  } else {
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
  }
  return {
    app,
    db: app.get(DataSource),
    url: `http://127.0.0.1:${port}`,
    adminToken,
    apiPid: child?.pid ?? process.pid,
    close: async () => {
      if (child) await stopProcess(child);
      await app.close();
      await run.cleanUp();
    },
  };
}

/** Resident memory of a process (Linux /proc), in bytes. */
/** Resident memory of a process, in bytes. */
export function rssOf(pid: number): number {
  return procStatusKb(pid, 'VmRSS') * 1024;
}

/** A `digits` table (0–9) to generate n rows with a set-based INSERT…SELECT (cross joins). */
export async function ensureDigits(db: DataSource): Promise<void> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_digits (d TINYINT UNSIGNED NOT NULL PRIMARY KEY)');
  await db.query('INSERT IGNORE INTO bench_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)');
}

/** `SELECT n FROM …` producing 0…10^k−1. */
export function numbers(k: number): string {
  const tables = Array.from({ length: k }, (_, i) => `bench_digits d${i}`).join(' CROSS JOIN ');
  const expr = Array.from({ length: k }, (_, i) => `d${i}.d * ${10 ** i}`).join(' + ');
  return `SELECT ${expr} AS n FROM ${tables}`;
}

/**
 * A broadcast with `n` recipients mid-flight: the first 70 % accepted (wamid written), of those
 * sent/delivered/read in decreasing shares and 2 % failed; the rest pending. Counters are left
 * to the caller (reconciliation computes them from the rows). n must be a power of ten.
 */
export async function seedMidFlightBroadcast(db: DataSource, n: number): Promise<number> {
  await ensureDigits(db);
  const res = await db.query(
    `INSERT INTO broadcasts (name, sender_id, template_id, template_name, template_language, template_category, status, started_at, tags)
     VALUES ('bench million', 1, 1, 'bench_promo', 'en', 'MARKETING', 'running', NOW(3) - INTERVAL 1 HOUR, JSON_ARRAY('bench'))`,
  );
  const id = Number(res.insertId);
  const k = Math.round(Math.log10(n));
  const t0 = 'NOW(3) - INTERVAL 50 MINUTE + INTERVAL (s.n MOD 3000) SECOND';
  await db.query(
    `INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, country, dispatch_state, status, wamid, accepted_at, sent_at, delivered_at, read_at, failed_at, error_code, error_title, cost, pricing_category)
     SELECT ?, s.n + 1, CONCAT('+9190', LPAD(s.n, 8, '0')), IF(s.n MOD 10 = 0, 'BR', 'IN'),
       IF(s.n < ? * 0.7, 'accepted', 'pending'),
       CASE WHEN s.n >= ? * 0.7 THEN 'queued' WHEN s.n MOD 50 = 1 THEN 'failed' WHEN s.n MOD 10 < 3 THEN 'read' WHEN s.n MOD 10 < 6 THEN 'delivered' ELSE 'sent' END,
       IF(s.n < ? * 0.7, CONCAT('wamid.bench.', ?, '.', s.n), NULL),
       IF(s.n < ? * 0.7, ${t0}, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 <> 1, ${t0}, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 <> 1 AND s.n MOD 10 < 6, ${t0} + INTERVAL 2 SECOND, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 <> 1 AND s.n MOD 10 < 3, ${t0} + INTERVAL 9 SECOND, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 = 1, ${t0}, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 = 1, 131026, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 = 1, 'Message undeliverable', NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 <> 1, 0.0107, NULL),
       IF(s.n < ? * 0.7 AND s.n MOD 50 <> 1, 'marketing', NULL)
     FROM (${numbers(k)}) s`,
    [id, n, n, n, id, n, n, n, n, n, n, n, n, n],
  );
  return id;
}

/** p50/p95/p99 of a list of milliseconds. */
export function percentiles(ms: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
