import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type EnrollmentStatus = 'active' | 'completed' | 'stopped' | 'unenrolled';
export type StopReason = 'replied' | 'opted_out' | 'attribute' | 'contact_deleted' | 'unenrolled' | 'restarted' | 'sequence_deleted';

/** One contact's run through a sequence. */
@Entity('sequence_enrollments')
export class SequenceEnrollment {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ name: 'sequence_id', type: 'int', unsigned: true })
  sequenceId: number;

  @Column({ name: 'contact_id', type: 'bigint', unsigned: true })
  contactId: number;

  /** 1 for the first enrolment; a restart starts run + 1. */
  @Column({ type: 'smallint', unsigned: true, default: 1 })
  run: number;

  @Column({ type: 'enum', enum: ['active', 'completed', 'stopped', 'unenrolled'], default: 'active' })
  status: EnrollmentStatus;

  @Column({ name: 'next_step', type: 'smallint', unsigned: true, default: 1 })
  nextStep: number;

  @Column({ name: 'next_due_at', type: 'datetime', precision: 3, nullable: true })
  nextDueAt: Date | null;

  @Column({ name: 'anchor_at', type: 'datetime', precision: 3 })
  anchorAt: Date;

  @Column({ name: 'stop_reason', type: 'varchar', length: 64, nullable: true })
  stopReason: StopReason | null;

  @Column({ name: 'enrolled_at', type: 'datetime', precision: 3 })
  enrolledAt: Date;

  @Column({ name: 'last_step_at', type: 'datetime', precision: 3, nullable: true })
  lastStepAt: Date | null;

  @Column({ name: 'ended_at', type: 'datetime', precision: 3, nullable: true })
  endedAt: Date | null;
}
