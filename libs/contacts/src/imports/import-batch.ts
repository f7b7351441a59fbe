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
  /** UTF-8 bytes, in their own buffer: moved (not copied) out of the parsing thread. */
  tsv: Uint8Array;
  /** How many valid rows `tsv` holds. */
  drafts: number;
  /** Phone and original line per valid row, when the mode may still reject rows (create/update). */
  details: Array<{ row: number; phone: string; raw: string }> | null;
  rejected: RejectedRow[];
  duplicates: number;
  invalid: number;
}

const encoder = new TextEncoder();

/** LOAD DATA's text format: tab-separated, `\N` for NULL, backslash escapes. */
export function toTsv(drafts: ContactDraft[]): Uint8Array {
  let out = '';
  for (const d of drafts) out += `${d.row}\t${d.phone}\t${field(d.name)}\t${d.country ?? '\\N'}\t${field(d.attributes)}\n`;
  return encoder.encode(out);
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

function field(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r\0]/g, (c) => ESCAPES[c]) : value;
}
