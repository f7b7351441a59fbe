import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Environment } from '@clarion/config';

/** Paths pino blanks out wherever they appear: tokens and secrets never reach a log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  '*.accessToken',
  '*.access_token',
  '*.token',
  '*.password',
  '*.secret',
];

/** Structured JSON logs (pino) behind Nest's Logger, one line per request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Webhook deliveries arrive by the thousand per second; they are counted in metrics instead.
          autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' || req.url?.startsWith('/webhooks/') === true },
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
