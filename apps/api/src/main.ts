import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { validateEnvironment } from '@clarion/config';
import { prepareDatabase } from '@clarion/database';
import { readRateCard } from '@clarion/pricing';
import { surviveUnhandledRejections } from '@clarion/observability';
import { ApiModule } from './api.module';
import { configureApiApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env, 'api');
  readRateCard(env.PRICING_FILE); // a wrong price table stops boot here, with its message
  await prepareDatabase(env.DATABASE_URL);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { bufferLogs: true });
  configureApiApp(app);
  surviveUnhandledRejections(new Logger('Process'));
  await app.listen(env.PORT);
}

bootstrap().catch((error: Error) => {
  // Configuration errors are meant for the operator: print the message, not a stack.
  console.error(`clarion api failed to start: ${error.message}`);
  process.exit(1);
});
