import { Module } from '@nestjs/common';
import { OutboundWebhooksModule } from '@clarion/outbound-webhooks';
import { WebhookEndpointsController } from './webhook-endpoints.controller';

@Module({
  imports: [OutboundWebhooksModule],
  controllers: [WebhookEndpointsController],
})
export class OutboundWebhooksApiModule {}
