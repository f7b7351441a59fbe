import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  EnrollmentView,
  SendWindow,
  SequenceStepView,
  SequenceView,
  StepStats,
  StopWhen,
  UpcomingCount,
  UpcomingSendsView,
} from '@clarion/sequences';
import { FiguresView, RatesView } from '../history/history.views';

/*
 * Response schemas of the sequence reads, for the OpenAPI document (and so the console's typed
 * client). Each class `implements` the library's type, so a renamed field breaks this file first.
 */

const NullableDate = { nullable: true, type: Date } as const;
const NullableString = { nullable: true, type: String } as const;

class StepStatsView extends FiguresView implements StepStats {
  @ApiProperty({ type: RatesView }) rates: RatesView;
}

class StepTemplateView {
  @ApiProperty() name: string;
  @ApiProperty() language: string;
}

export class SequenceStepViewSchema implements SequenceStepView {
  @ApiProperty({ description: '1 for the first step' }) position: number;
  @ApiProperty({ type: StepTemplateView }) template: StepTemplateView;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) variables: Record<string, string>;
  @ApiProperty(NullableString) headerMediaUrl: string | null;
  @ApiProperty({ example: 'P2D', description: 'ISO 8601 duration after enrolment (step 1) or after WhatsApp accepted the previous step' })
  delay: string;
  @ApiProperty({ nullable: true, type: Number, description: "the step's own broadcast, whose figures are the step's" })
  broadcastId: number | null;
  @ApiProperty({ description: 'active runs waiting for this step now (0 in the list)' }) waiting: number;
  @ApiPropertyOptional({ description: "the step broadcast's status; GET one only" }) broadcastStatus?: string;
  @ApiPropertyOptional(NullableString) broadcastStatusReason?: string | null;
  @ApiPropertyOptional({ type: StepStatsView, description: "the step broadcast's figures; GET one only" }) stats?: StepStatsView;
}

class SendWindowView implements SendWindow {
  @ApiProperty({ type: [String], example: ['mon', 'tue'] }) days: SendWindow['days'];
  @ApiProperty({ example: '09:00' }) from: string;
  @ApiProperty({ example: '18:00' }) to: string;
}

class StopWhenView implements StopWhen {
  @ApiProperty() attribute: string;
  @ApiProperty() equals: string;
}

class EnrollmentCountsView implements Record<EnrollmentView['status'], number> {
  @ApiProperty({ description: 'runs still going: waiting for a step' }) active: number;
  @ApiProperty({ description: 'runs that were sent every step' }) completed: number;
  @ApiProperty({ description: 'runs ended by a reply, an opt-out or the stop attribute' }) stopped: number;
  @ApiProperty() unenrolled: number;
}

export class SequenceViewSchema implements SequenceView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() senderId: number;
  @ApiProperty({ enum: ['active', 'paused'] }) status: SequenceView['status'];
  @ApiProperty({ type: SendWindowView, nullable: true }) window: SendWindowView | null;
  @ApiProperty(NullableString) timezone: string | null;
  @ApiProperty() stopOnReply: boolean;
  @ApiProperty({ type: StopWhenView, nullable: true }) stopWhen: StopWhenView | null;
  @ApiProperty({ enum: ['ignore', 'restart'] }) reenrollment: SequenceView['reenrollment'];
  @ApiProperty({ type: [SequenceStepViewSchema] }) steps: SequenceStepViewSchema[];
  @ApiProperty({ type: EnrollmentCountsView, description: 'runs by status: where contacts are now' }) enrollments: EnrollmentCountsView;
  @ApiProperty(NullableString) createdBy: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class SequencePageView {
  @ApiProperty({ type: [SequenceViewSchema] }) data: SequenceViewSchema[];
  @ApiProperty(NullableString) nextCursor: string | null;
}

export class EnrollmentViewSchema implements EnrollmentView {
  @ApiProperty() id: number;
  @ApiProperty() contactId: number;
  @ApiProperty({ description: 'the how-manyth run of this contact' }) run: number;
  @ApiProperty({ enum: ['active', 'completed', 'stopped', 'unenrolled'] }) status: EnrollmentView['status'];
  @ApiProperty({ nullable: true, type: Number, description: 'the step it waits for; null unless active' }) nextStep: number | null;
  @ApiProperty(NullableDate) nextDueAt: Date | null;
  @ApiProperty({
    nullable: true,
    enum: ['replied', 'opted_out', 'attribute', 'contact_deleted', 'unenrolled', 'restarted', 'sequence_deleted'],
  })
  stopReason: EnrollmentView['stopReason'];
  @ApiProperty() enrolledAt: Date;
  @ApiProperty(NullableDate) lastStepAt: Date | null;
  @ApiProperty(NullableDate) endedAt: Date | null;
}

export class EnrollmentPageView {
  @ApiProperty({ type: [EnrollmentViewSchema] }) data: EnrollmentViewSchema[];
  @ApiProperty(NullableString) nextCursor: string | null;
}

class UpcomingCountView implements UpcomingCount {
  @ApiProperty({ description: 'start of the hour or day, in the zone asked for' }) start: Date;
  @ApiProperty({ description: 'the step that falls due' }) step: number;
  @ApiProperty() count: number;
}

export class UpcomingSendsViewSchema implements UpcomingSendsView {
  @ApiProperty({ enum: ['hour', 'day'] }) bucket: UpcomingSendsView['bucket'];
  @ApiProperty({ example: 'Europe/Berlin' }) timezone: string;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ description: 'active runs due in the range (each counts once, at the step it waits for)' }) total: number;
  @ApiProperty({ type: [UpcomingCountView], description: 'time order, then step order; buckets with nothing due are left out' })
  data: UpcomingCountView[];
}
