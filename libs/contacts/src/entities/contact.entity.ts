import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person Clarion may message. `phone` is E.164 and unique: one contact per number. */
@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ length: 20 })
  phone: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name: string | null;

  /** ISO 3166 alpha-2 of the phone number, for per-country statistics and time zones. */
  @Column({ type: 'char', length: 2, nullable: true })
  country: string | null;

  /** Every other column of the sheet, under its original header. */
  @Column({ type: 'json', nullable: true })
  attributes: Record<string, string> | null;

  @Column({ name: 'opted_out', type: 'boolean', default: false })
  optedOut: boolean;

  @Column({ name: 'opted_out_at', type: 'datetime', precision: 3, nullable: true })
  optedOutAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}
