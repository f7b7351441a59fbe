import { cellText, isDateFormat } from './cell-text';

describe('cellText', () => {
  it('writes number-typed phones as their digits, never in E notation', () => {
    expect(cellText(919876543210, undefined)).toBe('919876543210');
    expect(cellText(Number('9.19876543210E+11'), 'General')).toBe('919876543210');
    expect(cellText(447700900123, '0.00E+00')).toBe('447700900123');
    expect(cellText(919876543210, '0')).toBe('919876543210');
    expect(cellText(1e22, undefined)).toBe('10000000000000000000000');
  });

  it('shows other numbers as Excel does', () => {
    expect(cellText(0.1 + 0.2, undefined)).toBe('0.3');
    expect(cellText(12.5, '0.00')).toBe('12.50');
    expect(cellText(1234567.891, '#,##0.00')).toBe('1,234,567.89');
    expect(cellText(0.125, '0.0%')).toBe('12.5%');
  });

  it('shows dates in their format, and the locale default one as ISO', () => {
    const day = new Date(Date.UTC(2026, 2, 5));
    expect(cellText(day, 'mm-dd-yy')).toBe('2026-03-05');
    expect(cellText(day, undefined)).toBe('2026-03-05');
    expect(cellText(day, 'dd/mm/yyyy')).toBe('05/03/2026');
    expect(cellText(day, 'd-mmm-yy')).toBe('5-Mar-26');
    expect(cellText(day, 'dddd, mmmm d')).toBe('Thursday, March 5');
    const time = new Date(Date.UTC(2026, 2, 5, 14, 7, 9));
    expect(cellText(time, 'yyyy-mm-dd hh:mm:ss')).toBe('2026-03-05 14:07:09');
    expect(cellText(time, 'h:mm AM/PM')).toBe('2:07 PM');
    expect(cellText(time, 'mm-dd-yy')).toBe('2026-03-05 14:07');
    expect(cellText(time, '[$-409]d"."m"."yyyy')).toBe('5.3.2026');
  });

  it('reads a number under a date format as an Excel serial date (formula results)', () => {
    expect(cellText(46086, 'dd/mm/yyyy')).toBe('05/03/2026');
    expect(cellText(44624, 'yyyy-mm-dd', true)).toBe('2026-03-05');
  });

  it('shows formulas as their result, and the other cell kinds as text', () => {
    expect(cellText({ formula: 'A1&B1', result: 'Asha Rao' }, undefined)).toBe('Asha Rao');
    expect(cellText({ formula: '91*10^10+9876543210', result: 919876543210 }, undefined)).toBe('919876543210');
    expect(cellText({ sharedFormula: 'A2', result: 46086 }, 'dd/mm/yyyy')).toBe('05/03/2026');
    expect(cellText({ formula: 'NA()', result: { error: '#N/A' } }, undefined)).toBe('#N/A');
    expect(cellText({ formula: 'X()' }, undefined)).toBe('');
    expect(cellText({ richText: [{ text: 'Asha ' }, { text: 'Rao' }] }, undefined)).toBe('Asha Rao');
    expect(cellText({ text: 'site', hyperlink: 'https://example.com' }, undefined)).toBe('site');
    expect(cellText({ error: '#DIV/0!' }, undefined)).toBe('#DIV/0!');
    expect(cellText(true, undefined)).toBe('TRUE');
    expect(cellText(null, undefined)).toBe('');
  });
});

describe('isDateFormat', () => {
  it('tells date formats from number formats', () => {
    expect(isDateFormat('dd/mm/yyyy')).toBe(true);
    expect(isDateFormat('h:mm')).toBe(true);
    expect(isDateFormat('0.00')).toBe(false);
    expect(isDateFormat('"Day"0')).toBe(false);
    expect(isDateFormat('[Red]0.00')).toBe(false);
  });
});
