const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Spreadsheet programs run a cell that starts with = + - @ as a formula (CSV injection).
 * Prefixing a single quote makes them show it as text; OWASP's recommendation.
 */
export function formulaSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]) ? `'${text}` : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting: a cell is quoted only when it holds a comma, a quote or a line break, quotes doubled. */
export function csvQuote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV record (as csv-stringify writes it with default options), each cell made
 * formula-safe. A hand-rolled line because the exports' hot path needs ≥ 100,000 rows/s and
 * csv-stringify's per-field machinery alone caps near that; exporters.spec.ts checks both agree.
 */
export function csvLine(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ',';
    line += csvQuote(formulaSafe(row[i]));
  }
  return `${line}\n`;
}
