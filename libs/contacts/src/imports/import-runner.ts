import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import type { Environment } from '@clarion/config';
import type { ContactImport } from '../entities/contact-import.entity';
import { ImportBatch } from './import-batch';
import { ImportTarget, ImportWriter } from './import-writer';
import { PhoneIndex } from './phone-index';
import { ResolvedMapping, resolveMapping } from './parsing/column-mapping';
import { detectDelimiter, firstLine } from './parsing/delimiter';
import { checkFile } from './parsing/file-check';
import { normalisePhone } from './parsing/phone';
import { validateRow } from './parsing/row';

export type ImportRunOutcome = 'completed' | 'failed' | 'stopped' | 'not-found' | 'already-finished';

/** A row csv-parse could not read (e.g. a stray quote), placed between the records around it. */
interface ParserSkip {
  afterRecord: number;
  message: string;
  raw: string;
}

/**
 * Runs one import: checks the file, reads it with csv-parse, validates and de-duplicates
 * rows, and commits them in batches through ImportWriter while the next batch is parsed.
 *
 * Crash safety: each batch commits with the import's counters and `processed_rows` (the
 * checkpoint). Run again after a crash (bull retries or re-runs a stalled job), it re-reads
 * the file, rebuilds the in-file duplicate index from the rows before the checkpoint without
 * writing them, and continues after it; writes are idempotent upserts and INSERT IGNOREs.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);
  private readonly batchRows: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writer: ImportWriter,
    config: ConfigService<Environment, true>,
  ) {
    this.batchRows = config.get('IMPORT_BATCH_ROWS', { infer: true });
  }

  /** `signal` stops the run at the next batch boundary (graceful shutdown): the import stays `running` and resumes later. */
  async run(importId: number, signal?: AbortSignal): Promise<ImportRunOutcome> {
    const rows: ContactImport[] = await this.db.query(
      'SELECT id, status, file_path AS filePath, options, list_id AS listId, processed_rows AS processedRows FROM imports WHERE id = ?',
      [importId],
    );
    const job = rows[0];
    if (!job) return 'not-found';
    if (job.status === 'completed' || job.status === 'failed') return 'already-finished';
    const options = typeof job.options === 'string' ? JSON.parse(job.options) : job.options;
    await this.db.query("UPDATE imports SET status = 'running', started_at = COALESCE(started_at, CURRENT_TIMESTAMP(3)) WHERE id = ?", [importId]);

    const check = await checkFile(job.filePath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return { problem: 'the uploaded file is gone from UPLOAD_DIR; upload it again' } as const;
      throw error;
    });
    if (check.problem !== undefined) return this.fail(importId, check.problem, job.filePath);
    const estimate = Math.max(0, check.lineBreaks - 1);
    await this.db.query('UPDATE imports SET total_rows = GREATEST(total_rows, ?) WHERE id = ?', [estimate, importId]);

    const delimiter = detectDelimiter(firstLine(check.head));
    const target: ImportTarget = { importId, mode: options.mode ?? 'upsert', listId: job.listId === null ? null : Number(job.listId), tags: options.tags ?? [] };
    const defaultCountry: string | undefined = options.defaultCountry || undefined;
    const resumeAfter = Number(job.processedRows);

    const skips: ParserSkip[] = [];
    const parser = createReadStream(job.filePath, { highWaterMark: 256 * 1024 }).pipe(
      parse({
        delimiter,
        bom: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
        skip_records_with_error: true,
        // the error carries how many records came before it (header included)
        on_skip: (error: (Error & { records?: number }) | undefined) => {
          if (error) skips.push({ afterRecord: (error.records ?? 1) - 1, message: error.message, raw: '' });
        },
      }),
    );

    const q = this.db.createQueryRunner();
    await q.connect();
    await this.writer.prepare(q);
    let mapping: ResolvedMapping | undefined;
    let inflight: Promise<void> = Promise.resolve();
    const commit = async (batch: ImportBatch) => {
      await inflight;
      inflight = this.writer.write(q, target, batch);
      inflight.catch(() => undefined); // awaited at the next commit or at the end
    };
    try {
      const seen = new PhoneIndex();
      let record = 0;
      let skipsTaken = 0;
      let row = 0;
      let batch = new ImportBatch(delimiter);
      for await (const fields of parser as AsyncIterable<string[]>) {
        if (!mapping) {
          try {
            mapping = resolveMapping(fields.map((h) => h.trim()), options.mapping);
          } catch (error) {
            if (error instanceof DomainError) return await this.fail(importId, error.message, job.filePath);
            throw error;
          }
          continue;
        }
        record++;
        while (skipsTaken < skips.length && skips[skipsTaken].afterRecord < record) {
          const skip = skips[skipsTaken++];
          row++;
          if (row > resumeAfter) {
            batch.invalid++;
            batch.rejected.push({ row, reason: `row could not be read as CSV: ${skip.message}`, raw: skip.raw.slice(0, 4000) });
          }
        }
        row++;
        if (row <= resumeAfter) {
          // before the checkpoint: only rebuild the duplicate index
          if (fields.length === mapping.headers.length) {
            const phone = normalisePhone(fields[mapping.phone], defaultCountry, mapping.countryCode === null ? undefined : fields[mapping.countryCode]);
            if (phone.ok) seen.firstRowOrAdd(phone.e164, row);
          }
          continue;
        }
        const result = validateRow(fields, row, mapping, defaultCountry);
        if (!result.ok) {
          batch.invalid++;
          batch.reject(row, result.reason, fields);
        } else {
          const first = seen.firstRowOrAdd(result.draft.phone, row);
          if (first !== 0) {
            batch.duplicates++;
            batch.reject(row, `duplicate: same phone ${result.draft.phone} as row ${first}`, fields);
          } else {
            batch.drafts.push(result.draft);
          }
        }
        if (batch.size >= this.batchRows) {
          batch.lastRow = row;
          await commit(batch);
          batch = new ImportBatch(delimiter);
          if (signal?.aborted) {
            await inflight;
            parser.destroy();
            return 'stopped';
          }
        }
      }
      if (!mapping) return await this.fail(importId, 'the file is empty', job.filePath);
      for (; skipsTaken < skips.length; skipsTaken++) {
        row++;
        if (row > resumeAfter) {
          batch.invalid++;
          batch.rejected.push({ row, reason: `row could not be read as CSV: ${skips[skipsTaken].message}`, raw: skips[skipsTaken].raw.slice(0, 4000) });
        }
      }
      if (row === 0) return await this.fail(importId, 'the file has a header row but no data rows', job.filePath);
      batch.lastRow = Math.max(row, resumeAfter);
      await commit(batch);
      await inflight;
      await this.db.query("UPDATE imports SET status = 'completed', total_rows = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?", [row, importId]);
      this.logger.log({ importId, rows: row }, 'import completed');
      await unlink(job.filePath).catch(() => undefined);
      return 'completed';
    } finally {
      parser.destroy();
      await inflight.catch(() => undefined);
      await this.writer.release(q).catch(() => undefined);
      await q.release();
    }
  }

  private async fail(importId: number, reason: string, filePath?: string): Promise<'failed'> {
    if (filePath) await unlink(filePath).catch(() => undefined);
    await this.db.query("UPDATE imports SET status = 'failed', failure_reason = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?", [reason.slice(0, 1000), importId]);
    this.logger.warn({ importId, reason }, 'import failed');
    return 'failed';
  }
}
