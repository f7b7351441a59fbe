import { compareRows, compareSearchParams, funnelShares, MAX_COMPARED, paceSeries, parseCompareIds } from './compare';

const stats = (sent: number, delivered: number, read: number, replied: number, failed = 0) => ({
  total: sent + failed,
  queued: 0,
  sent,
  delivered,
  read,
  replied,
  failed,
  skipped: 0,
  cancelled: 0,
});
const rates = (deliveryRate: number | null, readRate: number | null, replyRate: number | null, failureRate: number | null) => ({
  deliveryRate,
  readRate,
  replyRate,
  failureRate,
});

describe('compare selection ↔ URL', () => {
  it('reads ids in the order picked, once each, valid ones only, at most six', () => {
    expect(parseCompareIds(new URLSearchParams('ids=12,5,12,x,-3,0,7'))).toEqual([12, 5, 7]);
    expect(parseCompareIds(new URLSearchParams(''))).toEqual([]);
    expect(parseCompareIds(new URLSearchParams('ids=1,2,3,4,5,6,7,8'))).toHaveLength(MAX_COMPARED);
  });

  it('writes them back so that a reload shows the same comparison', () => {
    expect(compareSearchParams([3, 9, 3]).toString()).toBe('ids=3%2C9');
    expect(parseCompareIds(compareSearchParams([3, 9]))).toEqual([3, 9]);
    expect(compareSearchParams([]).toString()).toBe('');
  });
});

describe('side-by-side rows', () => {
  it('marks the best rate of each row (the lowest failure rate), and none when all are equal or missing', () => {
    const rows = compareRows([
      { stats: stats(100, 90, 50, 5, 10), rates: rates(0.9, 0.5556, 0.0556, 0.0909), cost: 1.2 },
      { stats: stats(200, 190, 80, 5, 2), rates: rates(0.95, 0.4211, 0.0263, 0.0099), cost: 2.5 },
      { stats: stats(0, 0, 0, 0), rates: rates(null, null, null, null), cost: null },
    ]);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.deliveryRate.best).toBe(1);
    expect(by.readRate.best).toBe(0);
    expect(by.failureRate.best).toBe(1);
    expect(by.sent.best).toBeNull();
    expect(by.sent.values).toEqual([100, 200, 0]);
    expect(by.cost.values).toEqual([1.2, 2.5, null]);
    const same = compareRows([
      { stats: stats(1, 1, 1, 1), rates: rates(1, 1, 1, 0), cost: 0 },
      { stats: stats(1, 1, 1, 1), rates: rates(1, 1, 1, 0), cost: 0 },
    ]);
    expect(same.every((r) => r.best === null)).toBe(true);
  });

  it('draws each funnel as shares of sent, in percent', () => {
    expect(funnelShares([{ key: 'a', stats: stats(200, 150, 60, 3) }])).toEqual([
      { step: 'Sent', a: 100 },
      { step: 'Delivered', a: 75 },
      { step: 'Read', a: 30 },
      { step: 'Replied', a: 1.5 },
    ]);
  });
});

describe('pace over time', () => {
  const m = (minute: string, delivered: number) => ({ minute, sent: delivered, delivered, read: 0, failed: 0 });

  it('aligns broadcasts on their own start and sums delivered messages cumulatively, from 0', () => {
    const { bucket, points } = paceSeries([
      { key: 'a', series: [m('2026-12-01T10:00:00.000Z', 5), m('2026-12-01T10:02:00.000Z', 1)] },
      { key: 'b', series: [m('2026-12-05T18:30:00.000Z', 2), m('2026-12-05T18:31:00.000Z', 2)] },
    ]);
    expect(bucket).toBe('minute');
    expect(points).toEqual([
      { elapsed: 'start', a: 0, b: 0 },
      { elapsed: '+1 min', a: 5, b: 2 },
      { elapsed: '+2 min', a: 5, b: 4 },
      { elapsed: '+3 min', a: 6, b: 4 },
    ]);
  });

  it('goes per hour when the longest ran for more than three hours, and is empty without events', () => {
    const { bucket, points } = paceSeries([
      { key: 'a', series: [m('2026-12-01T10:00:00.000Z', 1), m('2026-12-01T15:10:00.000Z', 1)] },
      { key: 'b', series: [] },
    ]);
    expect(bucket).toBe('hour');
    expect(points.map((p) => [p.elapsed, p.a, p.b])).toEqual([
      ['start', 0, 0],
      ['+1 h', 1, 0],
      ['+2 h', 1, 0],
      ['+3 h', 1, 0],
      ['+4 h', 1, 0],
      ['+5 h', 1, 0],
      ['+6 h', 2, 0],
    ]);
    expect(paceSeries([]).points).toEqual([]);
  });
});
