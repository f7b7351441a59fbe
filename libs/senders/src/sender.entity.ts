import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SenderApi = 'cloud' | 'onprem';
export type SenderStatus = 'active' | 'paused' | 'broken';

/** A WhatsApp business phone number messages go out from, with its caps. */
@Entity('senders')
export class Sender {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  @Column({ length: 100 })
  name: string;

  @Column({ type: 'enum', enum: ['cloud', 'onprem'] })
  api: SenderApi;

  @Column({ name: 'phone_number_id', length: 64 })
  phoneNumberId: string;

  @Column({ name: 'waba_id', type: 'varchar', length: 64, nullable: true })
  wabaId: string | null;

  /** On-Premises API base URL (the Cloud API's comes from WHATSAPP_GRAPH_URL). */
  @Column({ name: 'base_url', type: 'varchar', length: 500, nullable: true })
  baseUrl: string | null;

  @Column({ type: 'enum', enum: ['single', 'multi'], default: 'single' })
  connection: 'single' | 'multi';

  /** AES-256-GCM ciphertext; never returned by the API, never logged. */
  @Column({ name: 'access_token_enc', type: 'text', select: false })
  accessTokenEnc: string;

  @Column({ name: 'throughput_mps', type: 'int', unsigned: true })
  throughputMps: number;

  /** Unique recipients per rolling 24 h; null means unlimited. */
  @Column({ name: 'messaging_limit', type: 'int', unsigned: true, nullable: true })
  messagingLimit: number | null;

  /** Senders of one business portfolio share one messaging limit. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  portfolio: string | null;

  @Column({ name: 'quality_rating', type: 'varchar', length: 20, nullable: true })
  qualityRating: string | null;

  @Column({ type: 'enum', enum: ['active', 'paused', 'broken'], default: 'active' })
  status: SenderStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Column({ name: 'synced_at', type: 'datetime', precision: 3, nullable: true })
  syncedAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}
