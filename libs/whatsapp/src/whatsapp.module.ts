import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { WhatsAppClients } from './client/whatsapp-clients';

/** Provides `WhatsAppClients`, configured from WHATSAPP_GRAPH_URL and WHATSAPP_GRAPH_VERSION. */
@Module({
  providers: [
    {
      provide: WhatsAppClients,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new WhatsAppClients({
          graphUrl: config.get('WHATSAPP_GRAPH_URL', { infer: true }),
          graphVersion: config.get('WHATSAPP_GRAPH_VERSION', { infer: true }),
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
