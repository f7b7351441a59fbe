import { Module } from '@nestjs/common';
import { BroadcastsModule } from '@clarion/broadcasts';
import { PricingModule } from '@clarion/pricing';
import { ContactsModule } from '@clarion/contacts';
import { SendersModule } from '@clarion/senders';
import { WhatsAppModule } from '@clarion/whatsapp';
import { BatchSender } from './engine/batch-sender';
import { ProgressMeter } from './engine/progress-meter';
import { ClaimScreen } from './ledger/claim-screen';
import { FrequencyCappedClaims } from './ledger/frequency-capped-claims';
import { QuietHoursClaims } from './ledger/quiet-hours-claims';
import { RecipientClaims } from './ledger/recipient-claims';
import { BroadcastDetailsQuery } from './queries/broadcast-details.query';
import { MessagingQuota } from './quota/messaging-quota';
import { SenderQuotasQuery } from './queries/sender-quotas.query';
import { DryRunBroadcast } from './sending/dry-run';
import { TestSend } from './sending/test-send';
import { ThroughputLimiter } from './throttling/throughput-limiter';

const SHARED = [
  ThroughputLimiter,
  MessagingQuota,
  RecipientClaims,
  FrequencyCappedClaims,
  QuietHoursClaims,
  ClaimScreen,
  ProgressMeter,
  BatchSender,
  BroadcastDetailsQuery,
  SenderQuotasQuery,
  TestSend,
  DryRunBroadcast,
];

/**
 * Dispatch and throttling, usable from any process (API: details, test send, dry run).
 * The send loop and the recovery tick (DispatchEngine, DispatchTick) are provided by the worker
 * app only — see apps/worker/src/dispatch.
 */
@Module({
  imports: [BroadcastsModule, ContactsModule, PricingModule, SendersModule, WhatsAppModule],
  providers: SHARED,
  exports: [...SHARED, BroadcastsModule, SendersModule, WhatsAppModule],
})
export class DispatchModule {}
