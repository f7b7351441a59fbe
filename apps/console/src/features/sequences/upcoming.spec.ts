import { upcomingRows } from './upcoming';

describe('upcomingRows', () => {
  it('puts each step in its column and sorts the rows by time', () => {
    expect(
      upcomingRows(
        [
          { start: '2026-12-09T00:00:00.000Z', step: 2, count: 4 },
          { start: '2026-12-08T00:00:00.000Z', step: 1, count: 3 },
          { start: '2026-12-09T00:00:00.000Z', step: 1, count: 1 },
        ],
        2,
      ),
    ).toEqual([
      { start: '2026-12-08T00:00:00.000Z', counts: [3, 0], total: 3 },
      { start: '2026-12-09T00:00:00.000Z', counts: [1, 4], total: 5 },
    ]);
  });
});
