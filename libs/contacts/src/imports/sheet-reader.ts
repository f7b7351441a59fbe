import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import type { ColumnMapping } from '../entities/contact-import.entity';
import { ParsedBatch, RejectedRow, TsvBuffer } from './import-batch';
import { resolveMapping, ResolvedMapping } from './parsing/column-mapping';
import type { Delimiter } from './parsing/delimiter';
import { rowPhone, validateRow } from './parsing/row';
import { PhoneIndex } from './phone-index';
import { readWorkbookRows } from './workbook-rows';

/** What kind of file an upload is: decided from its first bytes, not its name. */
export type SheetFormat = 'csv' | 'xlsx';

/** Everything the reader needs: plain data, so it can cross into a worker thread. */
export interface SheetReadOptions {
  path: string;
  format: SheetFormat;
  delimiter: Delimiter;
  /** The workbook's sheet to read (xlsx); absent: the first one. */
  sheet?: string;
  mapping?: ColumnMapping;
  defaultCountry?: string;
  /** Rows up to this one are already committed: only their phones are read (for de-duplication). */
  resumeAfter: number;
  batchRows: number;
  /** Keep each valid row's phone and cells, for modes that may still reject it (create/update). */
  keepDraftDetails: boolean;
}

export type SheetReadResult = { kind: 'done'; rows: number } | { kind: 'unusable'; reason: string };

/** A row csv-parse could not read (e.g. a stray quote), placed between the records around it. */
interface ParserSkip {
  afterRecord: number;
  message: string;
}

const MAX_RAW = 4000;

/**
 * csv-parse holds a whole record in memory: without a cap, one 40 MiB field (or a quote never
 * closed) ran the import thread out of heap on every retry. Past it the import fails at once.
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** How csv-parse reads an upload, for the import and its preview alike. */
export function csvParseOptions(delimiter: Delimiter) {
  return {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
  };
}

/**
 * Async iteration over the parser runs on microtasks, which starve I/O callbacks: the batch
 * being written on this thread would wait a whole parsed chunk for each statement's answer.
 * Yielding to the event loop this often lets the writer's round trips through.
 */
const YIELD_EVERY_ROWS = 64;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a sheet (CSV with csv-parse, or an xlsx workbook with exceljs' streaming reader),
 * validates and de-duplicates its rows, and hands batches of `batchRows` rows to `emit`
 * (awaited: that is the back-pressure). Runs in a worker thread in production (see
 * import-runner) and in-process under the test runner.
 */
export async function readSheet(options: SheetReadOptions, emit: (batch: ParsedBatch) => Promise<void>): Promise<SheetReadResult> {
  const rows = new RowHandler(options, emit);
  return options.format === 'xlsx' ? readWorkbook(options, rows) : readCsv(options, rows);
}

async function readCsv(options: SheetReadOptions, rows: RowHandler): Promise<SheetReadResult> {
  const skips: ParserSkip[] = [];
  const parser = createReadStream(options.path, { highWaterMark: 256 * 1024 }).pipe(
    parse({
      ...csvParseOptions(options.delimiter),
      // the error carries how many records came before it (header included)
      on_skip: (error: (Error & { records?: number; code?: string }) | undefined) => {
        // skipping would go on buffering the oversized record byte after byte: stop the parser
        if (error?.code === 'CSV_MAX_RECORD_SIZE') throw error;
        if (error) skips.push({ afterRecord: (error.records ?? 1) - 1, message: error.message });
      },
    }),
  );
  const takeSkipsBefore = (limit: number) => {
    while (skipsTaken < skips.length && skips[skipsTaken].afterRecord < limit)
      rows.unreadable(`row could not be read as CSV: ${skips[skipsTaken++].message}`);
  };
  let record = 0;
  let skipsTaken = 0;
  let header = true;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (header) {
        const problem = rows.header(fields);
        if (problem) return { kind: 'unusable', reason: problem };
        header = false;
        continue;
      }
      record++;
      takeSkipsBefore(record);
      const wait = rows.record(fields);
      if (wait) await wait;
    }
    if (header) return { kind: 'unusable', reason: 'the file is empty' };
    takeSkipsBefore(Number.POSITIVE_INFINITY);
    return await rows.finish();
  } catch (error) {
    const e = error as Error & { code?: string; lines?: number };
    if (e.code !== 'CSV_MAX_RECORD_SIZE') throw error;
    return {
      kind: 'unusable',
      reason: `the row at line ${e.lines ?? '?'} is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MiB (the cap per row): the import stopped there (is a quote never closed?)`,
    };
  } finally {
    parser.destroy();
  }
}

async function readWorkbook(options: SheetReadOptions, rows: RowHandler): Promise<SheetReadResult> {
  let header = true;
  const read = await readWorkbookRows(options.path, options.sheet, async (fields) => {
    if (header) {
      const problem = rows.header(fields);
      if (problem) return problem;
      header = false;
      return undefined;
    }
    const wait = rows.record(fields);
    if (wait) await wait;
    return undefined;
  });
  if (read.problem) return { kind: 'unusable', reason: read.problem };
  if (header) return { kind: 'unusable', reason: `the sheet '${read.sheet}' is empty` };
  return rows.finish();
}

/**
 * Validation, de-duplication and batching of the records of one sheet, whatever file they came
 * from. A record is its cells as text, the header's first.
 */
class RowHandler {
  private mapping: ResolvedMapping | undefined;
  private readonly seen = new PhoneIndex();
  private row = 0;
  private readonly valid = new TsvBuffer();
  private details: Array<{ row: number; phone: string; raw: string }> = [];
  private rejected: RejectedRow[] = [];
  private duplicates = 0;
  private invalid = 0;
  private readonly delimiter: string;

  constructor(
    private readonly options: SheetReadOptions,
    private readonly emit: (batch: ParsedBatch) => Promise<void>,
  ) {
    this.delimiter = options.format === 'csv' ? options.delimiter : ',';
  }

  /** Takes the header row; answers why the sheet cannot be imported, if it cannot. */
  header(fields: string[]): string | undefined {
    try {
      this.mapping = resolveMapping(
        fields.map((h) => h.trim()),
        this.options.mapping,
      );
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** A row the file format could not read: counted and reported in its place. */
  unreadable(reason: string): void {
    this.row++;
    if (this.row > this.options.resumeAfter) {
      this.invalid++;
      this.rejected.push({ row: this.row, reason, raw: '' });
    }
  }

  /** One data row. Returns a promise only when the caller must wait (a full batch, or a turn of the event loop). */
  record(fields: string[]): Promise<void> | null {
    const mapping = this.mapping!;
    const options = this.options;
    const row = ++this.row;
    if (row <= options.resumeAfter) {
      if (fields.length === mapping.headers.length) {
        const phone = rowPhone(fields, mapping, options.defaultCountry);
        if (phone.ok) this.seen.firstRowOrAdd(phone.e164, row);
      }
      return null;
    }
    const result = validateRow(fields, row, mapping, options.defaultCountry);
    if (!result.ok) {
      this.invalid++;
      this.rejected.push({ row, reason: result.reason, raw: this.raw(fields) });
    } else {
      const first = this.seen.firstRowOrAdd(result.draft.phone, row);
      if (first !== 0) {
        this.duplicates++;
        this.rejected.push({ row, reason: `duplicate: same phone ${result.draft.phone} as row ${first}`, raw: this.raw(fields) });
      } else {
        this.valid.add(result.draft);
        if (options.keepDraftDetails) this.details.push({ row, phone: result.draft.phone, raw: this.raw(fields) });
      }
    }
    if (this.valid.count + this.rejected.length >= options.batchRows) return this.flush(row);
    if (row % YIELD_EVERY_ROWS === 0) return yieldToEventLoop();
    return null;
  }

  async finish(): Promise<SheetReadResult> {
    if (this.row === 0) return { kind: 'unusable', reason: 'the file has a header row but no data rows' };
    await this.flush(Math.max(this.row, this.options.resumeAfter));
    return { kind: 'done', rows: this.row };
  }

  private async flush(lastRow: number): Promise<void> {
    const batch: ParsedBatch = {
      lastRow,
      drafts: this.valid.count,
      tsv: this.valid.take(),
      details: this.options.keepDraftDetails ? this.details : null,
      rejected: this.rejected,
      duplicates: this.duplicates,
      invalid: this.invalid,
    };
    this.details = [];
    this.rejected = [];
    this.duplicates = 0;
    this.invalid = 0;
    await this.emit(batch);
  }

  private raw(fields: string[]): string {
    const delimiter = this.delimiter;
    const line = fields.map((f) => (/["\r\n]/.test(f) || f.includes(delimiter) ? `"${f.replace(/"/g, '""')}"` : f)).join(delimiter);
    return line.length > MAX_RAW ? `${line.slice(0, MAX_RAW)}…` : line;
  }
}
