import { stringify } from 'csv-stringify/sync';
import { csvLine, formulaSafe } from '@clarion/common';

describe('csvLine', () => {
  it('writes what csv-stringify writes for the same formula-safe cells', () => {
    const rows: unknown[][] = [
      ['plain', 12, null, undefined, 0.0107],
      ['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ''],
      ['=SUM(A1)', '+919812345678', '-1', '@cmd', 'ok'],
      [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), 'Ünïcødé ✓', ' spaced ', '"', ','],
    ];
    for (const row of rows) {
      expect(csvLine(row)).toBe(stringify([row.map((c) => formulaSafe(c))]));
    }
  });

  it('escapes formula triggers even inside quoted cells', () => {
    expect(csvLine(['=1,2'])).toBe(`"'=1,2"\n`);
  });
});
