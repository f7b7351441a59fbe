import ExcelJS from 'exceljs';
import { cellText } from './parsing/cell-text';

/** How reading a workbook went: the sheet read, or why nothing could be. */
export interface WorkbookRead {
  sheet: string;
  problem?: string;
}

/**
 * Called with each non-empty row's cells as text, at least as many as the first row (the header) has;
 * answering a reason stops the read with it.
 */
export type WorkbookRowSink = (fields: string[]) => Promise<string | undefined>;

interface StreamedCell {
  value: unknown;
  numFmt?: string;
}
interface StreamedRow {
  eachCell(iteratee: (cell: StreamedCell, column: number) => void): void;
}
interface StreamedSheet extends AsyncIterable<StreamedRow> {
  name: string;
}
interface StreamedWorkbook extends AsyncIterable<StreamedSheet> {
  model?: { sheets?: Array<{ name: string }> };
  properties?: { model?: { date1904?: boolean } };
  stream?: { destroy(): void };
}

/**
 * Streams one worksheet of an .xlsx file row by row with exceljs' WorkbookReader: the workbook
 * is never held in memory (only its shared-strings table, which Excel keeps apart from the
 * rows). `sheet` names the worksheet; absent, the first in the workbook's tab order. Entirely
 * empty rows are skipped; a row ends at its last non-empty cell, but the empty ones after it up to
 * the first row's width are still columns, so every row is at least as wide as the header. exceljs
 * writes worksheets that come before the shared strings in the archive (as Excel orders them)
 * to a temporary file and reads them from there.
 */
export async function readWorkbookRows(path: string, sheet: string | undefined, sink: WorkbookRowSink): Promise<WorkbookRead> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats: what tells a date from a number
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as StreamedWorkbook;
  const names: string[] = [];
  let wanted = sheet;
  let read: WorkbookRead | undefined;
  try {
    for await (const worksheet of reader) {
      names.push(worksheet.name);
      wanted ??= reader.model?.sheets?.[0]?.name ?? worksheet.name;
      if (read || worksheet.name !== wanted) {
        // The others are drained, row by row: a worksheet exceljs parked in a temporary file (one
        // that comes before the shared strings) is deleted as soon as the next is asked for, and
        // its read stream, opened lazily, would then fail with ENOENT outside any handler.
        for await (const _row of worksheet); // eslint-disable-line @typescript-eslint/no-unused-vars
        continue;
      }
      read = { sheet: worksheet.name };
      const date1904 = reader.properties?.model?.date1904 === true;
      let headerWidth = 0;
      for await (const row of worksheet) {
        const fields: string[] = [];
        let width = 0;
        row.eachCell((cell, column) => {
          const text = cellText(cell.value, cell.numFmt, date1904);
          if (text === '') return;
          while (fields.length < column - 1) fields.push('');
          fields[column - 1] = text;
          width = column;
        });
        if (width === 0) continue;
        fields.length = width;
        headerWidth ||= width;
        while (fields.length < headerWidth) fields.push('');
        const problem = await sink(fields);
        if (problem) {
          read.problem = problem;
          break;
        }
      }
    }
  } catch (error) {
    return {
      sheet: wanted ?? '',
      problem: `the workbook could not be read (${(error as Error).message}); save it again as .xlsx or as CSV UTF-8`,
    };
  } finally {
    reader.stream?.destroy();
  }
  if (read) return read;
  if (names.length === 0) return { sheet: '', problem: 'the file is a ZIP archive but not an Excel workbook (.xlsx) with a worksheet' };
  return { sheet: wanted ?? '', problem: `the workbook has no sheet named '${wanted}' (its sheets: ${names.join(', ')})` };
}
