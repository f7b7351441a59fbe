import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '@clarion/queue';
import { ReceiveWebhook } from './receive-webhook.service';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookInbox } from './webhook-inbox.service';
import { WebhookNudger } from './webhook-nudge';

/** The webhook inbox table and its queue: what both the API and the worker need. */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.WebhookEvents })],
  providers: [WebhookEventsRepository],
  exports: [WebhookEventsRepository, BullModule],
})
export class WebhookStoreModule {}

/**
 * The API side: verifying Meta's calls and storing the bodies. The worker imports
 * WebhookStoreModule and provides `ProcessWebhookEvents` with its own event handler.
 */
@Module({
  imports: [WebhookStoreModule],
  providers: [WebhookInbox, WebhookNudger, ReceiveWebhook],
  exports: [ReceiveWebhook],
})
export class WebhooksModule {}
