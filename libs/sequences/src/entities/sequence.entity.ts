import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SendWindow } from '../schedule/send-window';

export type SequenceStatus = 'active' | 'paused' | 'deleted';
export type ReenrollmentPolicy = 'ignore' | 'restart';

/** Stop a contact's run when one of its attributes takes this value. */
export interface StopWhen {
  attribute: string;
  equals: string;
}

/** A drip campaign: ordered steps sent to each enrolled contact, inside a send window. */
@Entity('sequences')
export class Sequence {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  @Column({ length: 200 })
  name: string;

  @Column({ name: 'sender_id', type: 'int', unsigned: true })
  senderId: number;

  @Column({ type: 'enum', enum: ['active', 'paused', 'deleted'], default: 'active' })
  status: SequenceStatus;

  @Column({ name: 'send_window', type: 'json', nullable: true })
  window: SendWindow | null;

  /** The zone of contacts whose own cannot be told (no timezone attribute, unknown country). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ name: 'stop_on_reply', type: 'boolean', default: true })
  stopOnReply: boolean;

  @Column({ name: 'stop_when', type: 'json', nullable: true })
  stopWhen: StopWhen | null;

  @Column({ type: 'enum', enum: ['ignore', 'restart'], default: 'ignore' })
  reenrollment: ReenrollmentPolicy;

  @Column({ name: 'created_by', type: 'varchar', length: 100, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;

  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true })
  deletedAt: Date | null;
}
