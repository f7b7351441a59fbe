import { bucketStart, chooseBucket, timeline } from './timeline';

const m = (minute: string, sent = 0, delivered = 0, read = 0, failed = 0) => ({ minute, sent, delivered, read, failed });

describe('timeline bucket choice', () => {
  it('draws a campaign of up to 3 hours per minute, a longer one per hour', () => {
    expect(chooseBucket([])).toBe('minute');
    expect(chooseBucket([m('2026-12-07T10:00:00.000Z')])).toBe('minute');
    expect(chooseBucket([m('2026-12-07T10:00:00.000Z'), m('2026-12-07T13:00:00.000Z')])).toBe('minute');
    expect(chooseBucket([m('2026-12-07T10:00:00.000Z'), m('2026-12-07T13:01:00.000Z')])).toBe('hour');
    // Order does not matter: the span is first to last event.
    expect(chooseBucket([m('2026-12-08T10:00:00.000Z'), m('2026-12-07T10:00:00.000Z')])).toBe('hour');
  });
});

describe('timeline', () => {
  it('fills quiet minutes with zeros between the first and last', () => {
    const points = timeline([m('2026-12-07T10:00:00.000Z', 5, 4), m('2026-12-07T10:03:00.000Z', 1, 0, 0, 2)], 'minute', 'Europe/Berlin');
    expect(points.map((p) => [p.label, p.sent, p.delivered, p.failed])).toEqual([
      ['11:00', 5, 4, 0],
      ['11:01', 0, 0, 0],
      ['11:02', 0, 0, 0],
      ['11:03', 1, 0, 2],
    ]);
  });

  it("sums minutes into the viewer's wall-clock hours", () => {
    const series = [m('2026-12-07T10:05:00.000Z', 1), m('2026-12-07T10:40:00.000Z', 2), m('2026-12-07T12:10:00.000Z', 4)];
    expect(timeline(series, 'hour', 'UTC').map((p) => [p.label, p.sent])).toEqual([
      ['7 Dec 10:00', 1 + 2],
      ['7 Dec 11:00', 0],
      ['7 Dec 12:00', 4],
    ]);
    // Kolkata is UTC+05:30: its hours start at :30 UTC, so 10:05 and 10:40 UTC fall in different hours.
    expect(timeline(series, 'hour', 'Asia/Kolkata').map((p) => [p.label, p.sent])).toEqual([
      ['7 Dec 15:00', 1],
      ['7 Dec 16:00', 2],
      ['7 Dec 17:00', 4],
    ]);
  });

  it('names the day on minute labels when the campaign crosses midnight in the viewer zone', () => {
    const points = timeline([m('2026-12-07T22:59:00.000Z', 1), m('2026-12-07T23:00:00.000Z', 1)], 'minute', 'Europe/Berlin');
    expect(points.map((p) => p.label)).toEqual(['7 Dec 23:58', '7 Dec 23:59', '8 Dec 00:00', '8 Dec 00:01']);
  });

  it('keeps hour starts on the wall clock across a summer-time change', () => {
    // Berlin springs forward at 01:00 UTC on 29 March 2026.
    const series = [m('2026-03-29T00:30:00.000Z', 1), m('2026-03-29T02:30:00.000Z', 1)];
    expect(timeline(series, 'hour', 'Europe/Berlin').map((p) => p.label)).toEqual(['29 Mar 01:00', '29 Mar 03:00', '29 Mar 04:00']);
    expect(bucketStart(Date.parse('2026-03-29T01:45:00.000Z'), 'hour', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:00:00.000Z'));
  });

  it('draws a campaign of one or two buckets with a quiet bucket either side', () => {
    expect(timeline([m('2026-12-07T10:00:00.000Z', 5)], 'minute', 'UTC').map((p) => [p.label, p.sent])).toEqual([
      ['09:59', 0],
      ['10:00', 5],
      ['10:01', 0],
    ]);
    expect(timeline([m('2026-12-07T10:20:00.000Z', 1), m('2026-12-07T11:20:00.000Z', 2)], 'hour', 'UTC').map((p) => p.label)).toEqual([
      '7 Dec 09:00',
      '7 Dec 10:00',
      '7 Dec 11:00',
      '7 Dec 12:00',
    ]);
  });

  it('is empty with no events', () => {
    expect(timeline([], 'hour', 'UTC')).toEqual([]);
  });
});
