import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';

/** A message template in Meta's format; only APPROVED ones can be sent. */
@Entity('templates')
export class Template {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  /** '' for templates not tied to a WhatsApp Business Account. */
  @Column({ name: 'waba_id', length: 64, default: '' })
  wabaId: string;

  @Column({ name: 'meta_id', type: 'varchar', length: 64, nullable: true })
  metaId: string | null;

  @Column({ length: 512 })
  name: string;

  @Column({ length: 20 })
  language: string;

  @Column({ type: 'enum', enum: ['MARKETING', 'UTILITY', 'AUTHENTICATION'] })
  category: TemplateCategory;

  @Column({ type: 'enum', enum: ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'], default: 'PENDING' })
  status: TemplateStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  /** Meta's quality score (GREEN, YELLOW, RED, UNKNOWN) from `message_template_quality_update`; null until Meta sends one. */
  @Column({ name: 'quality_score', type: 'varchar', length: 20, nullable: true })
  qualityScore: string | null;

  @Column({ name: 'parameter_format', type: 'enum', enum: ['POSITIONAL', 'NAMED'], default: 'POSITIONAL' })
  parameterFormat: 'POSITIONAL' | 'NAMED';

  /** HEADER, BODY, FOOTER and BUTTONS components exactly as Meta defines them. */
  @Column({ type: 'json' })
  components: Array<Record<string, unknown>>;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}
