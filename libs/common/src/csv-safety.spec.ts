import { formulaSafe } from './csv-safety';

describe('formulaSafe', () => {
  it.each(['=1+1', '+91 98765', '-2', '@SUM(A1)'])('escapes %s', (cell) => {
    expect(formulaSafe(cell)).toBe(`'${cell}`);
  });

  it('leaves ordinary text and empty values alone', () => {
    expect(formulaSafe('Asha')).toBe('Asha');
    expect(formulaSafe(null)).toBe('');
    expect(formulaSafe(12)).toBe('12');
  });
});
