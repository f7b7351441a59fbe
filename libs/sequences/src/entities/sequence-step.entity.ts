import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One message of a sequence; its sends go through its own step broadcast. */
@Entity('sequence_steps')
export class SequenceStep {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  @Column({ name: 'sequence_id', type: 'int', unsigned: true })
  sequenceId: number;

  /** 1-based order within the sequence. */
  @Column({ type: 'smallint', unsigned: true })
  position: number;

  @Column({ name: 'template_name', length: 512 })
  templateName: string;

  @Column({ name: 'template_language', length: 20 })
  templateLanguage: string;

  @Column({ type: 'json', nullable: true })
  variables: Record<string, string> | null;

  /** The media header's URL for templates with an IMAGE, VIDEO or DOCUMENT header, e.g. "{{image_url}}". */
  @Column({ name: 'header_media_url', type: 'varchar', length: 1000, nullable: true })
  headerMediaUrl: string | null;

  /** As given, e.g. "P2D"; `delaySeconds` is what the scheduler uses. */
  @Column({ length: 40 })
  delay: string;

  @Column({ name: 'delay_seconds', type: 'int', unsigned: true })
  delaySeconds: number;

  /** The `sequence_step` broadcast that new sends of this step are appended to. */
  @Column({ name: 'broadcast_id', type: 'int', unsigned: true, nullable: true })
  broadcastId: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}
