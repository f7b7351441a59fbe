import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApiApp } from '../../apps/api/src/configure-app';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** The bootstrap admin token every e2e test app accepts. */
export const ADMIN_TOKEN = `test-admin-${randomBytes(12).toString('hex')}`;
process.env.CLARION_ADMIN_TOKEN = ADMIN_TOKEN;

/**
 * Boots the real API (all modules, real MariaDB and Redis) on a random port.
 * Pass `env` for variables this app needs (e.g. WHATSAPP_GRAPH_URL of a sandbox).
 */
export async function startApi(env: Record<string, string> = {}): Promise<INestApplication> {
  Object.assign(process.env, env);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { logger: false, bufferLogs: true });
  configureApiApp(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Boots the worker's module in this process (queue processors and ticks). */
export async function startWorker(env: Record<string, string> = {}): Promise<INestApplicationContext> {
  Object.assign(process.env, env);
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false, bufferLogs: true });
  await app.init();
  return app;
}

export function bearer(token: string = ADMIN_TOKEN): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
