import { unlink } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { ImportsService, ReceivedUpload } from '@clarion/contacts';
import type { ReenrollmentPolicy } from '../entities/sequence.entity';
import { SequencesRepository } from '../repositories/sequences.repository';
import { SheetRow, SheetsRepository } from '../repositories/sheets.repository';
import { EnrollContacts } from './enroll-contacts.service';

/** Where a sequence sheet stands; `import` has the row-level outcome (invalid rows, errors). */
export type SheetView = Omit<SheetRow, 'reenrollment'>;

/**
 * WATI's "sequence sheet": a CSV whose every row enrols a contact, with its columns as the
 * contact's attributes. The sheet goes through the contacts import pipeline as an upsert (same
 * parsing, phone normalisation, mapping and error report as any import); when that import has
 * completed, `enrolFinishedImports` (run by the sequences tick) enrols its contacts.
 */
@Injectable()
export class SequenceSheets {
  private readonly logger = new Logger(SequenceSheets.name);

  constructor(
    private readonly sequences: SequencesRepository,
    private readonly sheets: SheetsRepository,
    private readonly imports: ImportsService,
    private readonly enroller: EnrollContacts,
  ) {}

  /** Imports a sheet to enrol its rows; a refused sheet's upload is deleted before the error leaves. */
  async start(sequenceId: number, upload: ReceivedUpload, reenrollment: ReenrollmentPolicy | null): Promise<SheetView> {
    try {
      await this.sequences.get(sequenceId);
      if (upload.fields.mode && upload.fields.mode !== 'upsert') {
        throw DomainError.validation('mode: a sequence sheet always upserts its rows (each row enrols a contact); leave mode out');
      }
    } catch (error) {
      await unlink(upload.path).catch(() => undefined);
      throw error;
    }
    const started = await this.imports.start({ ...upload, fields: { ...upload.fields, mode: 'upsert' } });
    await this.sheets.insert(started.id, sequenceId, reenrollment);
    return this.get(sequenceId, started.id);
  }

  async get(sequenceId: number, importId: number): Promise<SheetView> {
    const row = await this.sheets.get(sequenceId, importId);
    if (!row) throw DomainError.notFound('sequence sheet', importId);
    return row;
  }

  /** Enrols the contacts of every sheet whose import has completed; returns how many sheets were settled. */
  async enrolFinishedImports(): Promise<number> {
    let settled = 0;
    for (const sheet of await this.sheets.importing()) {
      const imp = await this.imports.get(sheet.importId).catch(() => null);
      if (!imp || imp.status === 'failed') {
        await this.sheets.failed(sheet.importId, imp?.failureReason ?? 'the import is gone');
        settled++;
      } else if (imp.status === 'completed') {
        try {
          const result = await this.enroller.enrollAudience(
            sheet.sequenceId,
            { importId: sheet.importId },
            sheet.reenrollment ?? undefined,
          );
          await this.sheets.enrolled(sheet.importId, result);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          this.logger.warn(
            { importId: sheet.importId, sequenceId: sheet.sequenceId, error: error.message },
            'sequence sheet could not be enrolled',
          );
          await this.sheets.failed(sheet.importId, error.message);
        }
        settled++;
      }
    }
    return settled;
  }
}
