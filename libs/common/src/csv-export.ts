import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { writeOrStop } from './backpressure';
import { csvLine } from './csv-safety';

/** Rows of cells in pages; a page is whatever the source reads at once. */
export type RowPages = AsyncIterable<unknown[][]>;

/** Turns pages of items into pages of cells. */
export async function* mapPages<T>(pages: AsyncIterable<T[]>, row: (item: T) => unknown[]): RowPages {
  for await (const page of pages) yield page.map(row);
}

/**
 * Streams rows as CSV into `out` with back-pressure: a page is read only when the previous one
 * has been flushed, so memory stays flat at any size, and none once `out` is gone (a client
 * that hung up). Every cell goes through `formulaSafe` (a cell starting with = + - @ would run
 * as a formula in a spreadsheet), the header's too: attribute keys come from users' sheets. A
 * UTF-8 BOM lets spreadsheet programs read accents right. Returns the row count.
 */
export async function writeCsv(out: Writable, header: readonly unknown[], pages: RowPages): Promise<number> {
  let rows = 0;
  if (!(await writeOrStop(out, `\uFEFF${csvLine(header)}`))) return rows;
  for await (const page of pages) {
    let chunk = '';
    for (const row of page) {
      chunk += csvLine(row);
      rows++;
    }
    if (!(await writeOrStop(out, chunk))) return rows;
  }
  out.end();
  // finished, not once('finish'): a client gone before the last bytes left never gets 'finish'
  await finished(out).catch(() => undefined);
  return rows;
}
