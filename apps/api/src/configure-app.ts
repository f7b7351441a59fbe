import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import type { Environment } from '@clarion/config';
import { jsonBodies } from './http/body-limits';
import { ApiExceptionFilter } from './http/exception.filter';
import { securityHeaders } from './http/security-headers';
import { apiValidationPipe } from './http/validation.pipe';
import { createOpenApiDocument } from './openapi/openapi-document';

/** Everything main.ts and the end-to-end tests both need, so tests boot the real app. */
export function configureApiApp(app: NestExpressApplication): NestExpressApplication {
  app.useLogger(app.get(Logger));
  app.use(jsonBodies());
  app.useGlobalPipes(apiValidationPipe);
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  app.set('trust proxy', app.get(ConfigService<Environment, true>).get('TRUST_PROXY', { infer: true }));
  app.use(securityHeaders());
  app.use(cookieParser());

  SwaggerModule.setup('docs', app, createOpenApiDocument(app));
  return app;
}
