import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { drainedOrClosed, RowPages } from '@clarion/common';

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
    if (out.writableNeedDrain) await drainedOrClosed(out);
  }
  ws.commit();
  await workbook.commit();
  return rows;
}
