import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BroadcastAudience } from '../audience/retarget-audience';
import type { LocalTimePassed, QuietHours } from '../scheduling/recipient-local-time';

export const BROADCAST_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'waiting_quota', 'completed', 'cancelled', 'failed'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];
export type BroadcastKind = 'broadcast' | 'sequence_step';

/** Pause the broadcast once at least `minSample` sends were attempted and more than `maxFailureRate` of them failed. */
export interface ErrorPolicy {
  maxFailureRate: number;
  minSample: number;
}

export const DEFAULT_ERROR_POLICY: ErrorPolicy = { maxFailureRate: 0.5, minSample: 100 };

const decimal = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** A campaign: one template to an audience from one sender, with its own state machine. */
@Entity('broadcasts')
export class Broadcast {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  @Column({ length: 200 })
  name: string;

  @Column({ type: 'enum', enum: ['broadcast', 'sequence_step'], default: 'broadcast' })
  kind: BroadcastKind;

  @Column({ name: 'sender_id', unsigned: true })
  senderId: number;

  @Column({ name: 'template_id', unsigned: true })
  templateId: number;

  @Column({ name: 'template_name', length: 512 })
  templateName: string;

  @Column({ name: 'template_language', length: 20 })
  templateLanguage: string;

  @Column({ name: 'template_category', length: 20 })
  templateCategory: string;

  @Column({ type: 'json', nullable: true })
  audience: BroadcastAudience | null;

  @Column({ type: 'json', nullable: true })
  variables: Record<string, string> | null;

  @Column({ name: 'header_media_url', type: 'varchar', length: 1000, nullable: true })
  headerMediaUrl: string | null;

  @Column({ type: 'json', nullable: true })
  tags: string[] | null;

  @Column({ type: 'enum', enum: BROADCAST_STATUSES, default: 'draft' })
  status: BroadcastStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Column({ name: 'scheduled_at', type: 'datetime', precision: 3, nullable: true })
  scheduledAt: Date | null;

  /** `recipient_local`: each recipient gets it when their clock shows scheduledAt's wall-clock time; null: at scheduledAt. */
  @Column({ name: 'send_at', type: 'varchar', length: 20, nullable: true })
  sendAt: 'recipient_local' | null;

  @Column({ name: 'local_time_passed', type: 'varchar', length: 10, nullable: true })
  localTimePassed: LocalTimePassed | null;

  @Column({ name: 'quiet_hours', type: 'json', nullable: true })
  quietHours: QuietHours | null;

  /** The zone of recipients whose own cannot be told, and the one scheduledAt's wall clock is read in. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'error_policy', type: 'json', nullable: true })
  errorPolicy: ErrorPolicy | null;

  @Column({ name: 'copied_from_id', type: 'int', unsigned: true, nullable: true })
  copiedFromId: number | null;

  @Column({ name: 'sequence_id', type: 'int', unsigned: true, nullable: true })
  sequenceId: number | null;

  @Column({ name: 'sequence_step', type: 'int', unsigned: true, nullable: true })
  sequenceStep: number | null;

  @Column({ name: 'estimated_cost', type: 'decimal', precision: 14, scale: 4, nullable: true, transformer: decimal })
  estimatedCost: number | null;

  @Column({ name: 'created_by', type: 'varchar', length: 100, nullable: true })
  createdBy: string | null;

  @Column({
    name: 'fanout_cursor',
    type: 'bigint',
    unsigned: true,
    default: 0,
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  fanoutCursor: number;

  @Column({ name: 'fanout_done_at', type: 'datetime', precision: 3, nullable: true })
  fanoutDoneAt: Date | null;

  /** When a `waiting_quota` broadcast may try again (the messaging window's next free slot). */
  @Column({ name: 'resume_at', type: 'datetime', precision: 3, nullable: true })
  resumeAt: Date | null;

  @Column({ name: 'audience_count', type: 'int', unsigned: true, nullable: true })
  audienceCount: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}
