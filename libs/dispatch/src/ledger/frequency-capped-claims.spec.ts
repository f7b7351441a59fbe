import { overCap } from './frequency-capped-claims';

describe('overCap', () => {
  it('lets each contact have what is left of the cap, earliest rows first', () => {
    const rows = [
      { id: 1, contactId: 10, recent: 0 },
      { id: 2, contactId: 11, recent: 2 },
      { id: 3, contactId: 12, recent: 1 },
      { id: 4, contactId: 10, recent: 0 },
      { id: 5, contactId: 10, recent: 0 },
      { id: 6, contactId: 12, recent: 1 },
    ];
    expect(overCap(rows, 2)).toEqual([2, 5, 6]);
    expect(overCap(rows, 3)).toEqual([]);
    expect(overCap(rows, 1)).toEqual([2, 3, 4, 5, 6]);
  });
});
