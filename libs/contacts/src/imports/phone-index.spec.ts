import { PhoneIndex } from './phone-index';

describe('PhoneIndex', () => {
  it('remembers the first row of every number, across growth', () => {
    const index = new PhoneIndex(4);
    for (let i = 1; i <= 50_000; i++) expect(index.firstRowOrAdd(`+9198${String(i).padStart(8, '0')}`, i)).toBe(0);
    expect(index.size).toBe(50_000);
    expect(index.firstRowOrAdd('+919800000007', 60_000)).toBe(7);
    expect(index.firstRowOrAdd('+12125550123', 60_001)).toBe(0);
    expect(index.firstRowOrAdd('+12125550123', 60_002)).toBe(60_001);
  });
});
