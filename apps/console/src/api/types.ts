import type { Schemas } from './client';

/** Names for the API's answers the console reads (generated from the OpenAPI document). */
export type Me = Schemas['MeView'];
export type Role = Me['role'];
export type BroadcastDetails = Schemas['BroadcastDetailsView'];
export type BroadcastSummary = Schemas['BroadcastSummaryView'];
export type BroadcastStatus = BroadcastSummary['status'];
export type DetailedStats = Schemas['DetailedStatsView'];
export type Recipient = Schemas['RecipientViewSchema'];
export type Dashboard = Schemas['DashboardView'];
export type SenderQuota = Schemas['SenderQuotaView'];
export type FailureReason = Schemas['FailureReasonView'];
export type User = Schemas['UserView'];
export type Token = Schemas['TokenView'];
export type IssuedToken = Schemas['IssuedTokenView'];
export type Sequence = Schemas['SequenceViewSchema'];
export type SequenceStep = Schemas['SequenceStepViewSchema'];
export type WebhookEndpoint = Schemas['WebhookEndpointView'];
export type WebhookEventType = WebhookEndpoint['events'][number];
export type WebhookDeliveryStatus = Schemas['WebhookDeliveryView']['status'];
