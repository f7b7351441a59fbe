import type { ContactDraft } from './parsing/row';

export interface RejectedRow {
  row: number;
  reason: string;
  raw: string;
}

/**
 * Rows between two checkpoints, committed together with the import's counters in one
 * transaction. Plain data (it crosses from the parsing thread): the valid rows are already
 * in LOAD DATA's text format.
 */
export interface ParsedBatch {
  /** The last data row this batch covers: the checkpoint once it commits. */
  lastRow: number;
  /** UTF-8 bytes in LOAD DATA's text format. */
  tsv: Uint8Array;
  /** How many valid rows `tsv` holds. */
  drafts: number;
  /** Phone and original line per valid row, when the mode may still reject rows (create/update). */
  details: Array<{ row: number; phone: string; raw: string }> | null;
  rejected: RejectedRow[];
  duplicates: number;
  invalid: number;
}

/**
 * Valid rows written straight into bytes in LOAD DATA's text format (tab-separated, `\N` for
 * NULL, backslash escapes): a batch keeps no per-row objects alive, so they die young and the
 * garbage collector never has to promote and sweep ten thousand rows' worth of strings.
 */
export class TsvBuffer {
  private buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  private length = 0;
  count = 0;

  add(d: ContactDraft): void {
    const line = `${d.row}\t${d.phone}\t${field(d.name)}\t${d.country ?? '\\N'}\t${field(d.attributes)}\n`;
    const needed = this.length + line.length * 3;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(line, this.length);
    this.count++;
  }

  /** The bytes so far (a copy), and empties the buffer for the next batch. */
  take(): Uint8Array {
    const bytes = new Uint8Array(this.length);
    bytes.set(this.buffer.subarray(0, this.length));
    this.length = 0;
    this.count = 0;
    return bytes;
  }
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

function field(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r\0]/g, (c) => ESCAPES[c]) : value;
}
