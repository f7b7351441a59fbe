import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A signed-in browser. Known only by the SHA-256 of the random id its cookie holds. */
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ name: 'user_id', unsigned: true })
  userId: number;

  @Column({ name: 'token_hash', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  lastSeenAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  address: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent: string | null;
}
