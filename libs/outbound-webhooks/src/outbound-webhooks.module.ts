import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@clarion/config';
import { QueueName } from '@clarion/queue';
import { TokenCipherModule } from '@clarion/senders';
import { DeliveryQueue, retrySettings } from './delivery-queue';
import { WebhookDelivery } from './delivery.service';
import { EndpointsRepository } from './endpoints.repository';
import { WebhookEndpoints } from './endpoints.service';
import { InFlightDeliveries } from './in-flight.repository';
import { OutboxRelay } from './outbox-relay.service';
import { retryDelayMs, WEBHOOK_BACKOFF } from './retry-schedule';

/**
 * Outbound webhooks: endpoints and their delivery log (API), the outbox relay and the deliveries
 * queue (worker). State changes elsewhere only call `writeOutbox`/`withOutbox`, which need no module.
 */
@Module({
  imports: [
    BullModule.registerQueueAsync({
      name: QueueName.OutboundWebhooks,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => {
        const settings = retrySettings(config);
        return { settings: { backoffStrategies: { [WEBHOOK_BACKOFF]: (attemptsMade: number) => retryDelayMs(attemptsMade, settings) } } };
      },
    }),
    TokenCipherModule,
  ],
  providers: [EndpointsRepository, WebhookDelivery, WebhookEndpoints, DeliveryQueue, OutboxRelay, InFlightDeliveries],
  exports: [WebhookEndpoints, WebhookDelivery, OutboxRelay, EndpointsRepository, InFlightDeliveries],
})
export class OutboundWebhooksModule {}
