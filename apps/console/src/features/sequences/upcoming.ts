/** One row of the upcoming-sends table: a day or an hour, with each step's count. */
export interface UpcomingRow {
  start: string;
  /** counts[0] is step 1's. */
  counts: number[];
  total: number;
}

/** The API's flat (start, step, count) list as rows in time order, one column per step. */
export function upcomingRows(data: ReadonlyArray<{ start: string; step: number; count: number }>, steps: number): UpcomingRow[] {
  const rows = new Map<string, UpcomingRow>();
  for (const d of data) {
    const row = rows.get(d.start) ?? { start: d.start, counts: Array.from({ length: steps }, () => 0), total: 0 };
    if (d.step >= 1 && d.step <= steps) row.counts[d.step - 1] += d.count;
    row.total += d.count;
    rows.set(d.start, row);
  }
  return [...rows.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}
