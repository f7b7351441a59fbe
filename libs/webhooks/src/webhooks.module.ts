import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '@clarion/queue';
import { ReceiveWebhook } from './receive-webhook.service';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookInbox } from './webhook-inbox.service';
import { WebhookNudger } from './webhook-nudge';

/**
 * The webhook inbox: storing verified bodies (API side) and the repository the worker
 * drains. The worker provides `ProcessWebhookEvents` with its own event handler.
 */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.WebhookEvents })],
  providers: [WebhookEventsRepository, WebhookInbox, WebhookNudger, ReceiveWebhook],
  exports: [WebhookEventsRepository, WebhookInbox, ReceiveWebhook, BullModule],
})
export class WebhooksModule {}
