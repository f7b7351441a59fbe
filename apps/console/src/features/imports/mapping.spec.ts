import { acceptedShare, assignRole, type ColumnChoice, importPace, mappingField, roleOf, type SheetPreview } from './mapping';

const headers = ['Mobile', 'CC', 'Customer', 'City', 'Plan'];
const guessed: ColumnChoice = { phone: 'Mobile', countryCode: 'CC', name: ['Customer'], attributes: ['City', 'Plan'] };

describe('column roles', () => {
  it('reads each column’s role from the choice', () => {
    expect(headers.map((h) => roleOf(guessed, h))).toEqual(['phone', 'countryCode', 'name', 'attribute', 'attribute']);
  });

  it('moves a single role to another column and makes the old one an attribute again, in header order', () => {
    const next = assignRole(guessed, 'City', 'name', headers);
    expect(next).toEqual({ phone: 'Mobile', countryCode: 'CC', name: ['City'], attributes: ['Customer', 'Plan'] });
    expect(assignRole(guessed, 'Plan', 'phone', headers)).toEqual({
      phone: 'Plan',
      countryCode: 'CC',
      name: ['Customer'],
      attributes: ['Mobile', 'City'],
    });
  });

  it('ignores a column, and never leaves the phone without one', () => {
    expect(assignRole(guessed, 'Plan', 'ignored', headers).attributes).toEqual(['City']);
    expect(assignRole(guessed, 'CC', 'ignored', headers)).toMatchObject({ countryCode: null, attributes: ['City', 'Plan'] });
    expect(assignRole(guessed, 'Mobile', 'ignored', headers)).toBe(guessed);
  });
});

describe('mappingField', () => {
  it('names the columns the API should use', () => {
    expect(JSON.parse(mappingField(guessed))).toEqual({
      phone: 'Mobile',
      countryCode: 'CC',
      name: 'Customer',
      attributes: ['City', 'Plan'],
    });
  });

  it('leaves out a first + last name pair, which the import guesses again, and an absent country code', () => {
    const pair: ColumnChoice = { phone: 'Mobile', countryCode: null, name: ['First', 'Last'], attributes: [] };
    expect(JSON.parse(mappingField(pair))).toEqual({ phone: 'Mobile', attributes: [] });
  });
});

describe('acceptedShare and importPace', () => {
  it('counts the sample rows the import would take', () => {
    const rows = [{ problem: null }, { problem: 'invalid phone' }, { problem: null }] as SheetPreview['rows'];
    expect(acceptedShare({ rows } as SheetPreview)).toEqual({ accepted: 2, shown: 3 });
  });

  it('works out rows per second and what is left from the import’s own counters', () => {
    const startedAt = '2026-12-07T10:00:00.000Z';
    const now = Date.parse(startedAt) + 10_000;
    expect(importPace({ processedRows: 50_000, totalRows: 200_000, startedAt }, now)).toEqual({ rowsPerSecond: 5_000, secondsLeft: 30 });
    expect(importPace({ processedRows: 200_000, totalRows: 200_000, startedAt }, now)).toEqual({
      rowsPerSecond: 20_000,
      secondsLeft: null,
    });
    expect(importPace({ processedRows: 0, totalRows: 10, startedAt }, now)).toBeNull();
    expect(importPace({ processedRows: 5, totalRows: 10, startedAt: null }, now)).toBeNull();
  });
});
