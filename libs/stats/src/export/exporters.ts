import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvLine } from '@clarion/common';

/** Rows of cells in pages; a page is whatever the source reads at once. */
export type RowPages = AsyncIterable<unknown[][]>;

/**
 * Streams rows as CSV into `out` with back-pressure: a page is read only when the previous one
 * has been flushed, so memory stays flat at any size. Every cell goes through `formulaSafe`
 * (a cell starting with = + - @ would run as a formula in a spreadsheet). A UTF-8 BOM lets
 * spreadsheet programs read accents right. Returns the row count.
 */
export async function writeCsv(out: Writable, header: string[], pages: RowPages): Promise<number> {
  let rows = 0;
  out.write(`\uFEFF${csvLine(header)}`);
  for await (const page of pages) {
    let chunk = '';
    for (const row of page) {
      chunk += csvLine(row);
      rows++;
    }
    if (out.destroyed) break;
    if (!out.write(chunk)) await drained(out);
  }
  if (!out.destroyed) {
    out.end();
    await once(out, 'finish').catch(() => undefined);
  }
  return rows;
}

/**
 * Streams rows as one XLSX worksheet (exceljs' streaming writer: rows are committed and
 * flushed as they go, no shared strings table). Text stays text: cells are typed, so nothing
 * a contact wrote can become a formula. `numericColumns` (indexes) holding numeric text are
 * written as numbers. Returns the row count.
 */
export async function writeXlsx(
  out: Writable,
  sheet: string,
  header: string[],
  pages: RowPages,
  numericColumns: number[] = [],
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = workbook.addWorksheet(sheet);
  ws.addRow(header).commit();
  let rows = 0;
  for await (const page of pages) {
    for (const row of page) {
      const cells = row.map((v) => (v === null || v === undefined ? null : v));
      for (const c of numericColumns) if (typeof cells[c] === 'string') cells[c] = Number(cells[c]);
      ws.addRow(cells).commit();
      rows++;
    }
    if (out.destroyed) break;
    if (out.writableNeedDrain) await drained(out);
  }
  ws.commit();
  await workbook.commit();
  return rows;
}

/** Resolves when `out` drains or closes (a client that went away), without leaking listeners. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
