import { Module } from '@nestjs/common';
import { BroadcastsModule } from '@clarion/broadcasts';
import { OptOutModule } from '@clarion/contacts';
import { SendersModule } from '@clarion/senders';
import { StatsModule } from '@clarion/stats';
import { TemplatesModule } from '@clarion/templates';
import { ProcessWebhookEvents, WEBHOOK_EVENT_HANDLER, WebhookStoreModule } from '@clarion/webhooks';
import { WebhookEventRouter } from './webhook-event.router';
import { WebhookEventsProcessor, WebhookSweep } from './webhook-events.processor';

/** Applies stored webhooks: the queue processor, the sweep and the router to each capability. */
@Module({
  imports: [WebhookStoreModule, StatsModule, OptOutModule, TemplatesModule, SendersModule, BroadcastsModule],
  providers: [{ provide: WEBHOOK_EVENT_HANDLER, useClass: WebhookEventRouter }, ProcessWebhookEvents, WebhookEventsProcessor, WebhookSweep],
})
export class WebhooksWorkerModule {}
