import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { hostname } from 'node:os';
import { validateEnvironment } from '@clarion/config';
import { prepareDatabase } from '@clarion/database';
import { readRateCard } from '@clarion/pricing';
import { HealthService, surviveUnhandledRejections } from '@clarion/observability';
import { startHealthServer } from './health-server';
import { WorkerModule } from './worker.module';

const HEARTBEAT_MS = 5_000;

async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env, 'worker');
  readRateCard(env.PRICING_FILE); // a wrong price table stops boot here, with its message
  await prepareDatabase(env.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  surviveUnhandledRejections(app.get(Logger));

  const health = app.get(HealthService);
  const workerId = `${hostname()}:${process.pid}`;
  await health.heartbeat(workerId);
  const beat = setInterval(() => void health.heartbeat(workerId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();

  if (env.WORKER_PORT !== undefined) await startHealthServer(env.WORKER_PORT, health);
  await app.init();
}

bootstrap().catch((error: Error) => {
  console.error(`clarion worker failed to start: ${error.message}`);
  process.exit(1);
});
