import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './role';

/** A person who signs in to the console with email and password. */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  /** Lower-cased; unique. */
  @Column({ length: 254 })
  email: string;

  @Column({ length: 200 })
  name: string;

  @Column({ type: 'enum', enum: Role })
  role: Role;

  /** argon2id, in the PHC string format (algorithm, parameters and salt included). */
  @Column({ name: 'password_hash', length: 255, select: false })
  passwordHash: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;

  @Column({ name: 'last_sign_in_at', type: 'datetime', precision: 3, nullable: true })
  lastSignInAt: Date | null;
}
