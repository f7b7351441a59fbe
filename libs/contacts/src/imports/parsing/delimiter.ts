export type Delimiter = ',' | ';' | '\t';

const CANDIDATES: Delimiter[] = [',', ';', '\t'];

/**
 * Picks the delimiter from the header line: the candidate that occurs most often outside
 * quotes. Headers rarely contain the other candidates, and spreadsheet exports in locales
 * with a decimal comma use `;`. Ties and no candidate at all fall back to a comma.
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** The first line of a file's opening bytes, without a UTF-8 BOM or line end. */
export function firstLine(head: string): string {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const end = text.search(/\r|\n/);
  return end === -1 ? text : text.slice(0, end);
}
