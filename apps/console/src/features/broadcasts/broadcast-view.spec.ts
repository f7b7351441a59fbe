import { broadcastViewParams, parseBroadcastView, recipientsExportUrl } from './broadcast-view';

describe('broadcast page state ↔ URL', () => {
  it('reads the recipients filter and the chart bucket', () => {
    expect(parseBroadcastView(new URLSearchParams('status=failed&bucket=hour'))).toEqual({ status: 'failed', bucket: 'hour' });
    expect(parseBroadcastView(new URLSearchParams('status=replied'))).toEqual({ status: 'replied', bucket: null });
  });

  it('falls back to all recipients and an automatic bucket for anything unknown', () => {
    expect(parseBroadcastView(new URLSearchParams('status=bogus&bucket=day'))).toEqual({ status: null, bucket: null });
    expect(parseBroadcastView(new URLSearchParams(''))).toEqual({ status: null, bucket: null });
  });

  it('writes the state back, leaving defaults out and other parameters alone', () => {
    const p = broadcastViewParams({ status: 'delivered', bucket: null }, new URLSearchParams('bucket=minute&other=1'));
    expect(p.toString()).toBe('other=1&status=delivered');
    expect(broadcastViewParams({ status: null, bucket: null }, p).toString()).toBe('other=1');
    for (const state of [
      { status: 'skipped', bucket: 'minute' },
      { status: null, bucket: 'hour' },
    ] as const) {
      expect(parseBroadcastView(broadcastViewParams(state))).toEqual(state);
    }
  });

  it('exports exactly the filtered rows: the same status goes to the export', () => {
    expect(recipientsExportUrl(7, 'csv', 'failed')).toBe('/v1/broadcasts/7/recipients.csv?status=failed');
    expect(recipientsExportUrl(7, 'xlsx', null)).toBe('/v1/broadcasts/7/recipients.xlsx');
  });
});
