import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './role';

@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  @Column()
  name: string;

  @Column({ type: 'enum', enum: Role })
  role: Role;

  @Column({ name: 'token_hash', length: 64 })
  tokenHash: string;

  /** The token's last characters, so an admin can tell tokens apart without seeing them. */
  @Column({ name: 'token_hint', length: 16 })
  tokenHint: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  /** After this the token answers 401; null: it does not expire. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt: Date | null;

  /** The row of CLARION_ADMIN_TOKEN, written at API boot from the environment. */
  @Column({ type: 'boolean', default: false })
  bootstrap: boolean;

  @Column({ name: 'last_used_at', type: 'datetime', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;
}
