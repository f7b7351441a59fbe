import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ResourceLimits, Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import type { Environment } from '@clarion/config';
import { metrics } from '@clarion/observability';
import { importCompletedEvent, withOutbox } from '@clarion/outbound-webhooks';
import type { ContactImport } from '../entities/contact-import.entity';
import type { ImportThreadMessage } from './import-thread';
import type { BatchCounts, ImportTarget } from './import-writer';
import { Delimiter, detectDelimiter, firstLine } from './parsing/delimiter';
import { checkFile, sniffFormat } from './parsing/file-check';
import { importSheet, SheetImportJob, SheetImportOutcome } from './sheet-import';

/** `busy`: another run holds this import (its lock), so this one did nothing. */
export type ImportRunOutcome = 'completed' | 'failed' | 'stopped' | 'busy' | 'not-found' | 'already-finished';

/**
 * The compiled thread entry. Under the test runner (TypeScript sources, no compiled file
 * beside this one) the same reader runs in-process instead.
 */
const IMPORT_THREAD = join(__dirname, 'import-thread.js');
const IMPORT_THREAD_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };
/** A workbook's shared strings (every distinct text cell) stay in memory while its rows are read. */
const WORKBOOK_THREAD_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 };

/**
 * Runs one import: tells a workbook (.xlsx) from a CSV by its first bytes, checks a CSV whole
 * first (empty, binary, not UTF-8 fail before any write), then `importSheet` reads it (csv-parse,
 * or exceljs' streaming reader for a workbook), validates and de-duplicates rows and
 * commits them in batches (ImportWriter) while the next batch is parsed, in a worker thread
 * on its own connection. Marks the import completed or failed with one clear reason.
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
  private readonly databaseUrl: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.batchRows = config.get('IMPORT_BATCH_ROWS', { infer: true });
    this.databaseUrl = config.get('DATABASE_URL', { infer: true });
  }

  /**
   * `signal` stops the run at the next batch boundary (graceful shutdown): the import stays `running` and resumes later.
   * One run per import at a time, whatever bull does (a stalled job re-queued while its first run still works): a named
   * lock taken before the import is even read, held on its own connection, so a crash releases it.
   */
  async run(importId: number, signal?: AbortSignal): Promise<ImportRunOutcome> {
    const lock = this.db.createQueryRunner();
    await lock.connect();
    const lockName = `clarion:import:${new URL(this.databaseUrl).pathname.slice(1)}:${importId}`.slice(0, 64);
    try {
      const [{ got }] = await lock.query('SELECT GET_LOCK(?, 0) AS got', [lockName]);
      if (Number(got) !== 1) return 'busy';
      try {
        return await this.runLocked(importId, signal);
      } finally {
        await lock.query('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
      }
    } finally {
      await lock.release();
    }
  }

  private async runLocked(importId: number, signal?: AbortSignal): Promise<ImportRunOutcome> {
    const rows: ContactImport[] = await this.db.query(
      'SELECT id, status, file_path AS filePath, options, list_id AS listId, processed_rows AS processedRows FROM imports WHERE id = ?',
      [importId],
    );
    const row = rows[0];
    if (!row) return 'not-found';
    if (row.status === 'completed' || row.status === 'failed') return 'already-finished';
    const options = typeof row.options === 'string' ? JSON.parse(row.options) : row.options;
    await this.db.query("UPDATE imports SET status = 'running', started_at = COALESCE(started_at, CURRENT_TIMESTAMP(3)) WHERE id = ?", [
      importId,
    ]);

    const format = await sniffFormat(row.filePath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 'gone' as const;
      throw error;
    });
    if (format === 'gone') return this.fail(importId, 'the uploaded file is gone from UPLOAD_DIR; upload it again', row.filePath);
    if (format === 'xls')
      return this.fail(importId, 'the file is an Excel 97-2003 workbook (.xls): save it as .xlsx or as CSV UTF-8', row.filePath);
    let delimiter: Delimiter = ',';
    if (format === 'csv') {
      // a workbook is a ZIP archive: it has no lines to count, and its rows are counted as they are read
      const check = await checkFile(row.filePath).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return { problem: 'the uploaded file is gone from UPLOAD_DIR; upload it again' } as const;
        throw error;
      });
      if (check.problem !== undefined) return this.fail(importId, check.problem, row.filePath);
      const estimate = Math.max(0, check.lineBreaks - 1);
      await this.db.query('UPDATE imports SET total_rows = GREATEST(total_rows, ?) WHERE id = ?', [estimate, importId]);
      delimiter = detectDelimiter(firstLine(check.head));
    }

    const target: ImportTarget = {
      importId,
      mode: options.mode ?? 'upsert',
      listId: row.listId === null ? null : Number(row.listId),
      tags: options.tags ?? [],
    };
    const defaultCountry: string | undefined = options.defaultCountry || undefined;

    const job: SheetImportJob = {
      databaseUrl: this.databaseUrl,
      target,
      read: {
        path: row.filePath,
        format,
        delimiter,
        sheet: options.sheet,
        mapping: options.mapping,
        defaultCountry,
        resumeAfter: Number(row.processedRows),
        batchRows: this.batchRows,
        keepDraftDetails: target.mode !== 'upsert',
      },
    };
    const outcome = existsSync(IMPORT_THREAD)
      ? await this.runInThread(job, format === 'xlsx' ? WORKBOOK_THREAD_LIMITS : IMPORT_THREAD_LIMITS, signal)
      : await importSheet(job, () => signal?.aborted ?? false, countImportRows);
    if (outcome.kind === 'stopped') return outcome.kind;
    if (outcome.kind === 'unusable') return this.fail(importId, outcome.reason, row.filePath);
    await withOutbox(
      this.db,
      (m) =>
        m.query("UPDATE imports SET status = 'completed', total_rows = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?", [
          outcome.rows,
          importId,
        ]),
      (_, m) => importCompletedEvent(m, importId),
    );
    this.logger.log({ importId, rows: outcome.rows }, 'import completed');
    await unlink(row.filePath).catch(() => undefined);
    return 'completed';
  }

  /**
   * Runs the import in a worker thread with a small heap: parsing a million rows allocates
   * fast and briefly, and a capped heap makes V8 collect early instead of growing the
   * worker's memory; the worker's other queues keep their event loop.
   */
  private runInThread(job: SheetImportJob, limits: ResourceLimits, signal?: AbortSignal): Promise<SheetImportOutcome> {
    return new Promise<SheetImportOutcome>((resolve, reject) => {
      const thread = new Worker(IMPORT_THREAD, { workerData: job, resourceLimits: limits });
      const stop = () => thread.postMessage('stop');
      signal?.addEventListener('abort', stop, { once: true });
      let answered = false;
      thread.on('message', (message: ImportThreadMessage) => {
        if (message.type === 'committed') return countImportRows(message.counts);
        answered = true;
        signal?.removeEventListener('abort', stop);
        if (message.type === 'outcome') resolve(message.outcome);
        else reject(new Error(message.message));
        void thread.terminate(); // its work is over either way
      });
      thread.on('error', reject);
      thread.on('exit', (code) => !answered && reject(new Error(`the import thread stopped (exit code ${code}) before it finished`)));
    });
  }

  private async fail(importId: number, reason: string, filePath?: string): Promise<'failed'> {
    if (filePath) await unlink(filePath).catch(() => undefined);
    await withOutbox(
      this.db,
      (m) =>
        m.query("UPDATE imports SET status = 'failed', failure_reason = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?", [
          reason.slice(0, 1000),
          importId,
        ]),
      (_, m) => importCompletedEvent(m, importId),
    );
    this.logger.warn({ importId, reason }, 'import failed');
    return 'failed';
  }
}

/** `clarion_import_rows_total{outcome}`: rows of committed batches, counted in the process that runs the import. */
function countImportRows(counts: BatchCounts): void {
  for (const outcome of ['created', 'updated', 'duplicates', 'invalid', 'skipped'] as const) {
    if (counts[outcome] > 0) metrics.importRows.inc({ outcome }, counts[outcome]);
  }
}
