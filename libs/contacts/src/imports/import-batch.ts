import type { ContactDraft } from './parsing/row';

const MAX_RAW = 4000;

export interface RejectedRow {
  row: number;
  reason: string;
  raw: string;
}

/** Rows between two checkpoints: committed together, with the import's counters, in one transaction. */
export class ImportBatch {
  constructor(private readonly delimiter: string) {}

  readonly drafts: ContactDraft[] = [];
  readonly rejected: RejectedRow[] = [];
  duplicates = 0;
  invalid = 0;
  /** The last data row this batch covers: the checkpoint once it commits. */
  lastRow = 0;

  reject(row: number, reason: string, fields: string[]): void {
    this.rejected.push({ row, reason, raw: this.raw(fields) });
  }

  /** The row as a CSV line again (quoted where needed), for errors.csv. */
  raw(fields: string[]): string {
    const line = fields.map((f) => (/["\r\n]/.test(f) || f.includes(this.delimiter) ? `"${f.replace(/"/g, '""')}"` : f)).join(this.delimiter);
    return line.length > MAX_RAW ? `${line.slice(0, MAX_RAW)}…` : line;
  }

  get size(): number {
    return this.drafts.length + this.rejected.length;
  }
}
