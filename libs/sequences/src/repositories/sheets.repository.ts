import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReenrollmentPolicy } from '../entities/sequence.entity';

export type SheetStatus = 'importing' | 'enrolled' | 'failed';

export interface SheetRow {
  importId: number;
  sequenceId: number;
  status: SheetStatus;
  reenrollment: ReenrollmentPolicy | null;
  enrolled: number | null;
  alreadyEnrolled: number | null;
  optedOut: number | null;
  failureReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** sequence_sheets: CSV uploads waiting for their import to finish before they enrol. */
@Injectable()
export class SheetsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(importId: number, sequenceId: number, reenrollment: ReenrollmentPolicy | null): Promise<void> {
    await this.db.query('INSERT INTO sequence_sheets (import_id, sequence_id, reenrollment) VALUES (?, ?, ?)', [
      importId,
      sequenceId,
      reenrollment,
    ]);
  }

  async importing(): Promise<SheetRow[]> {
    return (await this.db.query("SELECT * FROM sequence_sheets WHERE status = 'importing' ORDER BY import_id LIMIT 100")).map(toRow);
  }

  async get(sequenceId: number, importId: number): Promise<SheetRow | null> {
    const rows = await this.db.query('SELECT * FROM sequence_sheets WHERE sequence_id = ? AND import_id = ?', [sequenceId, importId]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async enrolled(importId: number, r: { enrolled: number; alreadyEnrolled: number; optedOut: number }): Promise<void> {
    await this.db.query(
      "UPDATE sequence_sheets SET status = 'enrolled', enrolled = ?, already_enrolled = ?, opted_out = ?, finished_at = NOW(3) WHERE import_id = ? AND status = 'importing'",
      [r.enrolled, r.alreadyEnrolled, r.optedOut, importId],
    );
  }

  async failed(importId: number, reason: string): Promise<void> {
    await this.db.query(
      "UPDATE sequence_sheets SET status = 'failed', failure_reason = ?, finished_at = NOW(3) WHERE import_id = ? AND status = 'importing'",
      [reason.slice(0, 500), importId],
    );
  }
}

function toRow(r: Record<string, unknown>): SheetRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    importId: Number(r.import_id),
    sequenceId: Number(r.sequence_id),
    status: r.status as SheetStatus,
    reenrollment: (r.reenrollment as ReenrollmentPolicy | null) ?? null,
    enrolled: n(r.enrolled),
    alreadyEnrolled: n(r.already_enrolled),
    optedOut: n(r.opted_out),
    failureReason: (r.failure_reason as string | null) ?? null,
    createdAt: r.created_at as Date,
    finishedAt: (r.finished_at as Date | null) ?? null,
  };
}
