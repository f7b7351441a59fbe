import { Module } from '@nestjs/common';
import { OutboundWebhooksModule } from '@clarion/outbound-webhooks';
import { JobLock } from '@clarion/queue';
import { DeliveryProcessor } from './delivery.processor';
import { OutboxRelayScheduler } from './outbox-relay.scheduler';

/** The worker's share of outbound webhooks: the outbox relay and the delivery consumer. */
@Module({
  imports: [OutboundWebhooksModule],
  providers: [JobLock, OutboxRelayScheduler, DeliveryProcessor],
})
export class OutboundWebhooksWorkerModule {}
