import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('contact_lists')
export class ContactList {
  @PrimaryGeneratedColumn({ unsigned: true })
  id: number;

  @Column({ length: 191 })
  name: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
