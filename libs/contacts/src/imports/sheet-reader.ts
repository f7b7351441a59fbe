import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import type { ColumnMapping } from '../entities/contact-import.entity';
import { ParsedBatch, RejectedRow, TsvBuffer } from './import-batch';
import { resolveMapping, ResolvedMapping } from './parsing/column-mapping';
import type { Delimiter } from './parsing/delimiter';
import { rowPhone, validateRow } from './parsing/row';
import { PhoneIndex } from './phone-index';

/** Everything the reader needs: plain data, so it can cross into a worker thread. */
export interface SheetReadOptions {
  path: string;
  delimiter: Delimiter;
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
 * Async iteration over the parser runs on microtasks, which starve I/O callbacks: the batch
 * being written on this thread would wait a whole parsed chunk for each statement's answer.
 * Yielding to the event loop this often lets the writer's round trips through.
 */
const YIELD_EVERY_ROWS = 64;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a sheet with csv-parse, validates and de-duplicates its rows, and hands batches of
 * `batchRows` rows to `emit` (awaited: that is the back-pressure). Runs in a worker thread in
 * production (see import-runner) and in-process under the test runner.
 */
export async function readSheet(options: SheetReadOptions, emit: (batch: ParsedBatch) => Promise<void>): Promise<SheetReadResult> {
  const skips: ParserSkip[] = [];
  const parser = createReadStream(options.path, { highWaterMark: 256 * 1024 }).pipe(
    parse({
      delimiter: options.delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      skip_records_with_error: true,
      // the error carries how many records came before it (header included)
      on_skip: (error: (Error & { records?: number }) | undefined) => {
        if (error) skips.push({ afterRecord: (error.records ?? 1) - 1, message: error.message });
      },
    }),
  );
  const raw = (fields: string[]) => {
    const line = fields
      .map((f) => (/["\r\n]/.test(f) || f.includes(options.delimiter) ? `"${f.replace(/"/g, '""')}"` : f))
      .join(options.delimiter);
    return line.length > MAX_RAW ? `${line.slice(0, MAX_RAW)}…` : line;
  };
  try {
    let mapping: ResolvedMapping | undefined;
    const seen = new PhoneIndex();
    let record = 0;
    let skipsTaken = 0;
    let row = 0;
    const valid = new TsvBuffer();
    let details: Array<{ row: number; phone: string; raw: string }> = [];
    let rejected: RejectedRow[] = [];
    let duplicates = 0;
    let invalid = 0;
    const flush = async (lastRow: number) => {
      const batch: ParsedBatch = {
        lastRow,
        drafts: valid.count,
        tsv: valid.take(),
        details: options.keepDraftDetails ? details : null,
        rejected,
        duplicates,
        invalid,
      };
      details = [];
      rejected = [];
      duplicates = 0;
      invalid = 0;
      await emit(batch);
    };
    const takeSkipsBefore = (limit: number) => {
      while (skipsTaken < skips.length && skips[skipsTaken].afterRecord < limit) {
        const skip = skips[skipsTaken++];
        row++;
        if (row > options.resumeAfter) {
          invalid++;
          rejected.push({ row, reason: `row could not be read as CSV: ${skip.message}`, raw: '' });
        }
      }
    };

    for await (const fields of parser as AsyncIterable<string[]>) {
      if (!mapping) {
        try {
          mapping = resolveMapping(
            fields.map((h) => h.trim()),
            options.mapping,
          );
        } catch (error) {
          return { kind: 'unusable', reason: (error as Error).message };
        }
        continue;
      }
      record++;
      takeSkipsBefore(record);
      row++;
      if (row <= options.resumeAfter) {
        if (fields.length === mapping.headers.length) {
          const phone = rowPhone(fields, mapping, options.defaultCountry);
          if (phone.ok) seen.firstRowOrAdd(phone.e164, row);
        }
        continue;
      }
      const result = validateRow(fields, row, mapping, options.defaultCountry);
      if (!result.ok) {
        invalid++;
        rejected.push({ row, reason: result.reason, raw: raw(fields) });
      } else {
        const first = seen.firstRowOrAdd(result.draft.phone, row);
        if (first !== 0) {
          duplicates++;
          rejected.push({ row, reason: `duplicate: same phone ${result.draft.phone} as row ${first}`, raw: raw(fields) });
        } else {
          valid.add(result.draft);
          if (options.keepDraftDetails) details.push({ row, phone: result.draft.phone, raw: raw(fields) });
        }
      }
      if (valid.count + rejected.length >= options.batchRows) await flush(row);
      else if (row % YIELD_EVERY_ROWS === 0) await yieldToEventLoop();
    }
    if (!mapping) return { kind: 'unusable', reason: 'the file is empty' };
    takeSkipsBefore(Number.POSITIVE_INFINITY);
    if (row === 0) return { kind: 'unusable', reason: 'the file has a header row but no data rows' };
    await flush(Math.max(row, options.resumeAfter));
    return { kind: 'done', rows: row };
  } finally {
    parser.destroy();
  }
}
