import { parseRange, rangeInstants, rangeSearchParams } from './range';

describe('dashboard range ↔ URL', () => {
  const now = new Date('2026-12-07T10:00:00Z');

  it('defaults to 7 days, and keeps a custom range in the URL', () => {
    expect(parseRange(new URLSearchParams(''))).toEqual({ kind: '7d', from: null, to: null });
    const custom = parseRange(new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-30'));
    expect(custom).toEqual({ kind: 'custom', from: '2026-11-01', to: '2026-11-30' });
    expect(rangeSearchParams(custom).toString()).toBe('range=custom&from=2026-11-01&to=2026-11-30');
    expect(parseRange(new URLSearchParams('range=custom&from=2026-11-30&to=2026-11-01')).kind).toBe('7d');
  });

  it("turns ranges into whole days of the viewer's zone, ending with today", () => {
    expect(rangeInstants({ kind: 'today', from: null, to: null }, 'Europe/Berlin', now)).toEqual({
      from: '2026-12-06T23:00:00.000Z',
      to: '2026-12-07T23:00:00.000Z',
    });
    expect(rangeInstants({ kind: '7d', from: null, to: null }, 'UTC', now)).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-08T00:00:00.000Z',
    });
    expect(rangeInstants({ kind: 'custom', from: '2026-11-01', to: '2026-11-30' }, 'Asia/Kolkata', now)).toEqual({
      from: '2026-10-31T18:30:00.000Z',
      to: '2026-11-30T18:30:00.000Z',
    });
  });
});
