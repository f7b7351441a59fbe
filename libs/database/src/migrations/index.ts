import { CoreSchema1764000000000 } from './1764000000000-core-schema';
import { BroadcastLedger1764000000001 } from './1764000000001-broadcast-ledger';
import { ImportProgress1764100000000 } from './1764100000000-import-progress';
import { WebhookEvents1764200000000 } from './1764200000000-webhook-events';
import { OptOutChanges1764200000001 } from './1764200000001-opt-out-changes';
import { DispatchClaims1764300000000 } from './1764300000000-dispatch-claims';
import { Stats1764400000000 } from './1764400000000-stats';
import { StatsReportedFailed1764400000001 } from './1764400000001-stats-reported-failed';
import { StatsCountries1764400000002 } from './1764400000002-stats-countries';
import { StatsFailureIndex1764400000003 } from './1764400000003-stats-failure-index';
import { Sequences1764500000000 } from './1764500000000-sequences';
import { SequenceSheets1764500000001 } from './1764500000001-sequence-sheets';
import { UsersSessions1765300000000 } from './1765300000000-users-sessions';
import { TokenExpiry1765300000001 } from './1765300000001-token-expiry';
import { TemplateQuality1765600000000 } from './1765600000000-template-quality';
import { SequenceStepMedia1765700000000 } from './1765700000000-sequence-step-media';
import { RecipientLocalTime1765700000001 } from './1765700000001-recipient-local-time';
import { OutboundWebhooks1765800000000 } from './1765800000000-outbound-webhooks';
import { WebhookInFlight1765940000000 } from './1765940000000-webhook-in-flight';
import { AuditLog1765800000001 } from './1765800000001-audit-log';
import { RecipientCancelled1765300000100 } from './1765300000100-recipient-cancelled';
import { ErrorPolicyWindow1765300000101 } from './1765300000101-error-policy-window';

/**
 * Every migration, in order. Append new ones at the end (timestamped names), never edit
 * one that has shipped. Listed explicitly because the build bundles no globs.
 * Ranges by capability keep concurrent work ordered: contacts 17641…, senders/templates/
 * webhooks 17642…, broadcasts/dispatch 17643…, stats 17644…, sequences 17645…, people and
 * sign-in 17653…, template submission 17656…, per-contact media, frequency cap and recipient-local time 17657…,
 * outbound webhooks and audit 17658…, cancelled recipients and the error policy's window 176530000010….
 */
export const MIGRATIONS = [
  CoreSchema1764000000000,
  BroadcastLedger1764000000001,
  ImportProgress1764100000000,
  WebhookEvents1764200000000,
  OptOutChanges1764200000001,
  DispatchClaims1764300000000,
  Stats1764400000000,
  StatsReportedFailed1764400000001,
  StatsCountries1764400000002,
  StatsFailureIndex1764400000003,
  Sequences1764500000000,
  SequenceSheets1764500000001,
  UsersSessions1765300000000,
  TokenExpiry1765300000001,
  TemplateQuality1765600000000,
  SequenceStepMedia1765700000000,
  OutboundWebhooks1765800000000,
  AuditLog1765800000001,
  RecipientLocalTime1765700000001,
  RecipientCancelled1765300000100,
  ErrorPolicyWindow1765300000101,
  WebhookInFlight1765940000000,
];
