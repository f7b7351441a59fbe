import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '@clarion/contacts';
import { PricingModule } from '@clarion/pricing';
import { QueueName } from '@clarion/queue';
import { Template } from '@clarion/templates';
import { BroadcastAudienceReader } from './audience/broadcast-audience-reader';
import { Broadcast } from './entities/broadcast.entity';
import { BroadcastStats } from './entities/broadcast-stats.entity';
import { FanOutService } from './fan-out/fan-out.service';
import { BroadcastsRepository } from './repositories/broadcasts.repository';
import { RecipientsRepository } from './repositories/recipients.repository';
import { SendableTemplatesRepository } from './repositories/sendable-templates.repository';
import { DispatchSignal } from './scheduling/dispatch-signal';
import { LaunchJobs } from './scheduling/launch-jobs';
import { BroadcastLifecycle } from './services/broadcast-lifecycle';
import { CostEstimator } from './services/cost-estimator';
import { CreateBroadcast } from './services/create-broadcast';
import { LaunchBroadcast } from './services/launch-broadcast';
import { PauseTemplateBroadcasts } from './services/pause-template-broadcasts';
import { RetryFailedRecipients, SaveRecipientsAsList } from './services/retarget';
import { SendersLookup } from './services/senders-lookup';
import { SequenceStepDispatch } from './services/sequence-steps';

const EXPORTED = [
  BroadcastAudienceReader,
  RetryFailedRecipients,
  SaveRecipientsAsList,
  BroadcastsRepository,
  RecipientsRepository,
  SendableTemplatesRepository,
  SendersLookup,
  DispatchSignal,
  LaunchJobs,
  CreateBroadcast,
  BroadcastLifecycle,
  LaunchBroadcast,
  FanOutService,
  CostEstimator,
  SequenceStepDispatch,
  PauseTemplateBroadcasts,
];

/** Broadcasts: creation, scheduling (launch jobs), fan-out into the recipient ledger, lifecycle. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Broadcast, BroadcastStats, Template]),
    BullModule.registerQueue({ name: QueueName.BroadcastLaunch }),
    ContactsModule,
    PricingModule,
  ],
  providers: EXPORTED,
  exports: EXPORTED,
})
export class BroadcastsModule {}
