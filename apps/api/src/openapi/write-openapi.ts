import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiModule } from '../api.module';
import { createOpenApiDocument } from './openapi-document';

/**
 * `node dist/apps/api/src/openapi/write-openapi.js <file>`: writes the OpenAPI document without a
 * database or Redis. Nest's preview mode resolves the module graph (controllers, routes, DTOs)
 * but instantiates no provider, so nothing connects.
 */
async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: write-openapi <output.json>');
  const app = await NestFactory.create(ApiModule, { preview: true, logger: false, abortOnError: false });
  const document = createOpenApiDocument(app);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

main().catch((error: Error) => {
  console.error(`openapi document not written: ${error.message}`);
  process.exit(1);
});
