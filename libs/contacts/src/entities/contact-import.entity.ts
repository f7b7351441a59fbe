import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';
export type ImportMode = 'create' | 'update' | 'upsert';

export interface ImportOptions {
  mapping?: ColumnMapping;
  defaultCountry?: string;
  list?: string;
  tags?: string[];
  mode: ImportMode;
  /** The worksheet of an .xlsx upload to read (absent: the first one); a CSV has only one. */
  sheet?: string;
}

/** Which columns (by header) hold the phone, the country code, the name and the attributes. */
export interface ColumnMapping {
  phone?: string;
  countryCode?: string;
  name?: string;
  attributes?: string[];
}

@Entity('imports')
export class ContactImport {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ type: 'enum', enum: ['queued', 'running', 'completed', 'failed'], default: 'queued' })
  status: ImportStatus;

  @Column({ name: 'file_name', type: 'varchar', length: 255, nullable: true })
  fileName: string | null;

  @Column({ name: 'file_path', length: 500 })
  filePath: string;

  @Column({ name: 'file_bytes', type: 'bigint', unsigned: true, default: 0 })
  fileBytes: number;

  @Column({ type: 'json' })
  options: ImportOptions;

  @Column({ name: 'list_id', type: 'int', unsigned: true, nullable: true })
  listId: number | null;

  @Column({ name: 'total_rows', type: 'int', unsigned: true, default: 0 })
  totalRows: number;

  @Column({ name: 'processed_rows', type: 'int', unsigned: true, default: 0 })
  processedRows: number;

  @Column({ type: 'int', unsigned: true, default: 0 })
  created: number;

  @Column({ type: 'int', unsigned: true, default: 0 })
  updated: number;

  @Column({ type: 'int', unsigned: true, default: 0 })
  duplicates: number;

  @Column({ type: 'int', unsigned: true, default: 0 })
  invalid: number;

  /** Rows the mode left out: create-only met an existing contact, update-only a new one. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  skipped: number;

  @Column({ name: 'failure_reason', type: 'varchar', length: 1000, nullable: true })
  failureReason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;
}
