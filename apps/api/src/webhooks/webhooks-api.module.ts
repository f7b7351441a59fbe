import { Module } from '@nestjs/common';
import { WebhooksModule } from '@clarion/webhooks';
import { WhatsAppWebhooksController } from './whatsapp-webhooks.controller';

@Module({
  imports: [WebhooksModule],
  controllers: [WhatsAppWebhooksController],
})
export class WebhooksApiModule {}
