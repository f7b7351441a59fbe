import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { formulaSafe } from '@clarion/common';

/** Rows of cells in pages; a page is whatever the source reads at once. */
export type RowPages = AsyncIterable<unknown[][]>;

/**
 * Streams rows as CSV into `out` with back-pressure: a page is read only when the previous one
 * has been flushed, so memory stays flat at any size. Every cell goes through `formulaSafe`
 * (a cell starting with = + - @ would run as a formula in a spreadsheet). Returns the row count.
 */
export async function writeCsv(out: Writable, header: string[], pages: RowPages): Promise<number> {
  const csv = stringify({ bom: true });
  csv.pipe(out);
  let rows = 0;
  try {
    csv.write(header);
    for await (const page of pages) {
      for (const row of page) {
        const cells = new Array<string>(row.length);
        for (let i = 0; i < row.length; i++) cells[i] = formulaSafe(row[i]);
        if (!csv.write(cells)) await once(csv, 'drain');
        rows++;
      }
      if (out.destroyed) break;
    }
  } finally {
    csv.end();
  }
  if (!out.writableFinished && !out.destroyed) await once(out, 'finish').catch(() => undefined);
  return rows;
}

/**
 * Streams rows as one XLSX worksheet (exceljs' streaming writer: rows are committed and
 * flushed as they go, no shared strings table). Text stays text: cells are typed, so nothing
 * a contact wrote can become a formula. Returns the row count.
 */
export async function writeXlsx(out: Writable, sheet: string, header: string[], pages: RowPages): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = workbook.addWorksheet(sheet);
  ws.addRow(header).commit();
  let rows = 0;
  for await (const page of pages) {
    for (const row of page) {
      ws.addRow(row.map((v) => (v === null || v === undefined ? null : v))).commit();
      rows++;
    }
    if (out.destroyed) break;
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  ws.commit();
  await workbook.commit();
  return rows;
}
