import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { WhatsAppClients } from './client/whatsapp-clients';

/** Provides `WhatsAppClients`, configured from WHATSAPP_GRAPH_URL, WHATSAPP_GRAPH_VERSION and WHATSAPP_HTTP_*. */
@Module({
  providers: [
    {
      provide: WhatsAppClients,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new WhatsAppClients({
          graphUrl: config.get('WHATSAPP_GRAPH_URL', { infer: true }),
          graphVersion: config.get('WHATSAPP_GRAPH_VERSION', { infer: true }),
          http: {
            connections: config.get('WHATSAPP_HTTP_CONNECTIONS', { infer: true }),
            connectTimeoutMs: Math.min(config.get('WHATSAPP_HTTP_TIMEOUT_MS', { infer: true }), 10_000),
            headersTimeoutMs: config.get('WHATSAPP_HTTP_TIMEOUT_MS', { infer: true }),
            bodyTimeoutMs: config.get('WHATSAPP_HTTP_TIMEOUT_MS', { infer: true }),
          },
        }),
    },
  ],
  exports: [WhatsAppClients],
})
export class WhatsAppModule implements OnApplicationShutdown {
  constructor(@Inject(WhatsAppClients) private readonly clients: WhatsAppClients) {}

  async onApplicationShutdown(): Promise<void> {
    await this.clients.close();
  }
}
