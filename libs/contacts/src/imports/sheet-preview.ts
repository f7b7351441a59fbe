import { parse } from 'csv-parse/sync';
import { DomainError } from '@clarion/common';
import type { ColumnMapping } from '../entities/contact-import.entity';
import { resolveMapping, ResolvedMapping } from './parsing/column-mapping';
import { Delimiter, detectDelimiter, firstLine } from './parsing/delimiter';
import { checkHead, sniffFormat } from './parsing/file-check';
import { validateRow } from './parsing/row';
import { csvParseOptions, MAX_RECORD_BYTES } from './sheet-reader';
import { readWorkbookRows } from './workbook-rows';

/** Data rows a preview shows. */
export const PREVIEW_ROWS = 20;

/** One sample row as the import would take it. */
export interface PreviewRow {
  /** 1 is the first row under the header, as in an import's report. */
  row: number;
  cells: string[];
  /** The phone in E.164 with the default country, when the row would be imported. */
  phone: string | null;
  name: string | null;
  /** Why the import would reject the row (the import's own words), or null. */
  problem: string | null;
}

/** What the import of a sheet would read from it, worked out from its first rows. */
export interface SheetPreview {
  format: 'csv' | 'xlsx';
  /** The CSV's delimiter (a workbook has none). */
  delimiter: Delimiter | null;
  /** CSV text is read as UTF-8 (with or without a BOM); a workbook carries its own encoding. */
  encoding: 'utf-8' | null;
  /** The worksheet read (xlsx). */
  sheet: string | null;
  headers: string[];
  /** The columns the import would use: the mapping sent, or the one guessed from the headers. */
  mapping: Required<Pick<ColumnMapping, 'phone' | 'attributes'>> & { countryCode: string | null; name: string[] };
  rows: PreviewRow[];
}

export interface PreviewOptions {
  sheet?: string;
  mapping?: ColumnMapping;
  defaultCountry?: string;
}

/**
 * Reads the header and the first rows of an upload with the import's own reader pieces (format
 * sniffing, UTF-8 check, delimiter detection, csv-parse options, workbook streaming, mapping
 * guess, phone normalisation, row validation), never the whole file. A file the import would
 * refuse as a whole is a validation error with the import's message.
 */
export async function previewSheet(path: string, options: PreviewOptions): Promise<SheetPreview> {
  const format = await sniffFormat(path);
  if (format === 'xls') throw DomainError.validation('the file is an Excel 97-2003 workbook (.xls): save it as .xlsx or as CSV UTF-8');
  return format === 'xlsx' ? previewWorkbook(path, options) : previewCsv(path, options);
}

async function previewCsv(path: string, options: PreviewOptions): Promise<SheetPreview> {
  // The header and twenty rows fit in the bytes one row may have.
  const head = await checkHead(path, MAX_RECORD_BYTES);
  if (head.problem) throw DomainError.validation(head.problem);
  const delimiter = detectDelimiter(firstLine(head.text));
  let records: string[][];
  try {
    records = parse(head.text, { ...csvParseOptions(delimiter), to: PREVIEW_ROWS + 1 }) as string[][];
  } catch (error) {
    throw DomainError.validation(`the file could not be read as CSV: ${(error as Error).message}`);
  }
  return preview('csv', delimiter, null, records, options);
}

async function previewWorkbook(path: string, options: PreviewOptions): Promise<SheetPreview> {
  const records: string[][] = [];
  const enough = 'enough rows for a preview';
  const read = await readWorkbookRows(path, options.sheet, async (fields) => {
    records.push(fields);
    return records.length > PREVIEW_ROWS ? enough : undefined;
  });
  if (read.problem && read.problem !== enough) throw DomainError.validation(read.problem);
  return preview('xlsx', null, read.sheet, records, options);
}

function preview(
  format: SheetPreview['format'],
  delimiter: Delimiter | null,
  sheet: string | null,
  records: string[][],
  options: PreviewOptions,
): SheetPreview {
  const [header, ...data] = records;
  if (!header) throw DomainError.validation(sheet ? `the sheet '${sheet}' is empty` : 'the file is empty');
  const headers = header.map((h) => h.trim());
  const mapping = resolveMapping(headers, options.mapping);
  const seen = new Map<string, number>();
  const rows = data.map((cells, i): PreviewRow => {
    const row = i + 1;
    const result = validateRow(cells, row, mapping, options.defaultCountry);
    if (!result.ok) return { row, cells, phone: null, name: null, problem: result.reason };
    const first = seen.get(result.draft.phone);
    if (first === undefined) seen.set(result.draft.phone, row);
    const problem = first === undefined ? null : `duplicate: same phone ${result.draft.phone} as row ${first}`;
    return { row, cells, phone: result.draft.phone, name: result.draft.name, problem };
  });
  return { format, delimiter, encoding: format === 'csv' ? 'utf-8' : null, sheet, headers, mapping: namesOf(mapping), rows };
}

function namesOf(mapping: ResolvedMapping): SheetPreview['mapping'] {
  const name = (i: number) => mapping.headers[i];
  return {
    phone: name(mapping.phone),
    countryCode: mapping.countryCode === null ? null : name(mapping.countryCode),
    name: mapping.name.map(name),
    attributes: mapping.attributes.map((a) => a.key),
  };
}
