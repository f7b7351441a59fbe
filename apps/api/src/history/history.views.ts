import { ApiProperty } from '@nestjs/swagger';
import { BROADCAST_STATUSES, type BroadcastStatus, type BroadcastView } from '@clarion/broadcasts';
import type { BroadcastDetails, QuotaUsage, SenderQuota } from '@clarion/dispatch';
import type {
  BroadcastRates,
  BroadcastSummary,
  Dashboard,
  DashboardDay,
  DetailedStats,
  FailureReason,
  RecipientView,
  StatsView,
} from '@clarion/stats';

/*
 * Response schemas of the reads the console makes, for the OpenAPI document (and so for the
 * console's generated client). Each class `implements` the library's own type, so a field renamed
 * there breaks this file's type-check until the schema follows, and then the console's.
 */

const NullableNumber = { nullable: true, type: Number } as const;
const NullableString = { nullable: true, type: String } as const;
const NullableDate = { nullable: true, type: Date } as const;

export class RatesView implements BroadcastRates {
  @ApiProperty({ ...NullableNumber, description: 'delivered / sent' }) deliveryRate: number | null;
  @ApiProperty({ ...NullableNumber, description: 'read / delivered' }) readRate: number | null;
  @ApiProperty({ ...NullableNumber, description: 'replied / delivered' }) replyRate: number | null;
  @ApiProperty({ ...NullableNumber, description: 'failed / attempted sends' }) failureRate: number | null;
}

export class FiguresView implements StatsView {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'not yet answered by WhatsApp' }) queued: number;
  @ApiProperty() accepted: number;
  @ApiProperty() sent: number;
  @ApiProperty() awaitingDelivery: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() replied: number;
  @ApiProperty() failed: number;
  @ApiProperty({ description: 'refused outright by WhatsApp; counted in failed too' }) refused: number;
  @ApiProperty() skipped: number;
  @ApiProperty({ description: 'left unsent by a cancel' }) cancelled: number;
  @ApiProperty() cost: number;
}

export class TemplateSummaryView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() language: string;
  @ApiProperty() category: string;
}

export class BroadcastSummaryView implements BroadcastSummary {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['broadcast', 'sequence_step'] }) kind: string;
  @ApiProperty({ enum: BROADCAST_STATUSES }) status: BroadcastStatus;
  @ApiProperty() senderId: number;
  @ApiProperty({ type: TemplateSummaryView }) template: TemplateSummaryView;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() createdAt: Date;
  @ApiProperty(NullableDate) scheduledAt: Date | null;
  @ApiProperty(NullableDate) startedAt: Date | null;
  @ApiProperty(NullableDate) finishedAt: Date | null;
  @ApiProperty({ type: FiguresView }) stats: FiguresView;
  @ApiProperty({ type: RatesView }) rates: RatesView;
}

export class BroadcastSummaryPageView {
  @ApiProperty({ type: [BroadcastSummaryView] }) data: BroadcastSummaryView[];
  @ApiProperty(NullableString) nextCursor: string | null;
}

class ErrorPolicyView {
  @ApiProperty() maxFailureRate: number;
  @ApiProperty() minSample: number;
}

class QuietHoursView {
  @ApiProperty({ example: '21:00' }) from: string;
  @ApiProperty({ example: '08:00' }) to: string;
}

class MoneyView {
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
}

export class BroadcastViewSchema implements BroadcastView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['broadcast', 'sequence_step'] }) kind: 'broadcast' | 'sequence_step';
  @ApiProperty({ enum: BROADCAST_STATUSES }) status: BroadcastStatus;
  @ApiProperty(NullableString) statusReason: string | null;
  @ApiProperty() senderId: number;
  @ApiProperty({ type: TemplateSummaryView }) template: TemplateSummaryView;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'as given: { listId } | { importId } | …' }) audience: unknown;
  @ApiProperty({ ...NullableNumber, description: 'contacts in the audience when it was last saved' }) audienceCount: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) variables: Record<string, string>;
  @ApiProperty(NullableString) headerMediaUrl: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty(NullableDate) scheduledAt: Date | null;
  @ApiProperty({ enum: ['immediate', 'recipient_local'] }) sendAt: 'immediate' | 'recipient_local';
  @ApiProperty({ enum: ['now', 'next_day'], nullable: true }) localTimePassed: 'now' | 'next_day' | null;
  @ApiProperty({ type: QuietHoursView, nullable: true }) quietHours: QuietHoursView | null;
  @ApiProperty(NullableString) timezone: string | null;
  @ApiProperty(NullableDate) startedAt: Date | null;
  @ApiProperty(NullableDate) finishedAt: Date | null;
  @ApiProperty({ type: ErrorPolicyView, nullable: true }) errorPolicy: ErrorPolicyView | null;
  @ApiProperty(NullableNumber) copiedFromId: number | null;
  @ApiProperty({ type: MoneyView, nullable: true }) estimatedCost: MoneyView | null;
  @ApiProperty(NullableString) createdBy: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

class DetailsStatsView {
  @ApiProperty() total: number;
  @ApiProperty() queued: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() replied: number;
  @ApiProperty() failed: number;
  @ApiProperty() skipped: number;
  @ApiProperty({ description: 'left unsent by a cancel' }) cancelled: number;
}

class ProgressView {
  @ApiProperty({ description: 'sends WhatsApp accepted' }) accepted: number;
  @ApiProperty({ description: 'recipients to send (total less skipped and cancelled)' }) total: number;
  @ApiProperty({ description: 'accepted sends per second, now' }) ratePerSecond: number;
  @ApiProperty({ ...NullableNumber, description: 'seconds until every queued recipient is sent, at the current rate' }) etaSeconds:
    number | null;
}

export class QuotaView implements QuotaUsage {
  @ApiProperty({ ...NullableNumber, description: 'unique recipients in the rolling window; null: unlimited' }) limit: number | null;
  @ApiProperty() used: number;
  @ApiProperty(NullableNumber) remaining: number | null;
  @ApiProperty({ ...NullableDate, description: 'when the oldest counted recipient leaves the window' }) nextFreeAt: Date | null;
  @ApiProperty() windowSeconds: number;
}

class BroadcastQuotaView extends QuotaView {
  @ApiProperty({ ...NullableDate, description: 'while waiting_quota: when sending resumes' }) waitingUntil: Date | null;
}

export class BroadcastDetailsView extends BroadcastViewSchema implements BroadcastDetails {
  @ApiProperty({ type: DetailsStatsView }) stats: DetailsStatsView;
  @ApiProperty({ type: RatesView }) rates: RatesView;
  @ApiProperty({ type: ProgressView }) progress: ProgressView;
  @ApiProperty({ type: BroadcastQuotaView }) quota: BroadcastQuotaView;
}

/** Recipients failed with one error code: a broadcast's failures, and the dashboard's top failures. */
export class FailureReasonView implements FailureReason {
  @ApiProperty(NullableNumber) code: number | null;
  @ApiProperty({ ...NullableString, description: "Meta's title" }) title: string | null;
  @ApiProperty() count: number;
}

class SkipByReasonView {
  @ApiProperty(NullableString) reason: string | null;
  @ApiProperty() count: number;
}

class CountryFiguresView {
  @ApiProperty(NullableString) country: string | null;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() replied: number;
  @ApiProperty() failed: number;
  @ApiProperty() cost: number;
}

class MinuteView {
  @ApiProperty({ description: 'start of the minute (UTC)' }) minute: Date;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() failed: number;
}

export class DetailedStatsView implements DetailedStats {
  @ApiProperty() broadcastId: number;
  @ApiProperty({ type: FiguresView }) stats: FiguresView;
  @ApiProperty({ type: RatesView }) rates: RatesView;
  @ApiProperty() currency: string;
  @ApiProperty({ type: [FailureReasonView] }) failuresByCode: FailureReasonView[];
  @ApiProperty({ type: [SkipByReasonView] }) skippedByReason: SkipByReasonView[];
  @ApiProperty({ type: [CountryFiguresView] }) countries: CountryFiguresView[];
  @ApiProperty({ type: [MinuteView] }) timeSeries: MinuteView[];
}

export class RecipientViewSchema implements RecipientView {
  @ApiProperty() id: number;
  @ApiProperty() contactId: number;
  @ApiProperty() phone: string;
  @ApiProperty(NullableString) country: string | null;
  @ApiProperty({ enum: ['queued', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled'] }) status: string;
  @ApiProperty(NullableString) wamid: string | null;
  @ApiProperty(NullableDate) acceptedAt: Date | null;
  @ApiProperty(NullableDate) sentAt: Date | null;
  @ApiProperty(NullableDate) deliveredAt: Date | null;
  @ApiProperty(NullableDate) readAt: Date | null;
  @ApiProperty(NullableDate) failedAt: Date | null;
  @ApiProperty(NullableDate) repliedAt: Date | null;
  @ApiProperty(NullableNumber) errorCode: number | null;
  @ApiProperty({ ...NullableString, description: "Meta's title" }) errorTitle: string | null;
  @ApiProperty(NullableString) errorDetail: string | null;
  @ApiProperty(NullableString) skipReason: string | null;
  @ApiProperty(NullableNumber) cost: number | null;
  @ApiProperty(NullableString) pricingCategory: string | null;
}

export class RecipientPageView {
  @ApiProperty({ type: [RecipientViewSchema] }) data: RecipientViewSchema[];
  @ApiProperty(NullableString) nextCursor: string | null;
}

class DashboardFiguresView implements Omit<DashboardDay, 'day'> {
  @ApiProperty() broadcasts: number;
  @ApiProperty() total: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty(NullableNumber) deliveryRate: number | null;
  @ApiProperty() read: number;
  @ApiProperty(NullableNumber) readRate: number | null;
  @ApiProperty() replied: number;
  @ApiProperty() failed: number;
  @ApiProperty() cost: number;
}

class DashboardDayView extends DashboardFiguresView implements DashboardDay {
  @ApiProperty({ description: 'UTC day, YYYY-MM-DD' }) day: string;
}

export class DashboardView implements Dashboard {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: DashboardFiguresView }) totals: DashboardFiguresView;
  @ApiProperty({ type: [DashboardDayView] }) days: DashboardDayView[];
}

export class SenderQuotaView implements SenderQuota {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() phoneNumberId: string;
  @ApiProperty({ enum: ['active', 'paused', 'broken'] }) status: string;
  @ApiProperty({ description: 'messages per second' }) throughputMps: number;
  @ApiProperty({ ...NullableString, description: 'senders of one portfolio share one messaging limit' }) portfolio: string | null;
  @ApiProperty({ type: QuotaView }) quota: QuotaView;
}
