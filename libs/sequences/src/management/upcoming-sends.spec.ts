import { checkUpcomingQuery, foldSlots } from './upcoming-sends';

describe('foldSlots', () => {
  const from = new Date('2026-12-07T18:00:00Z');

  it('adds quarter hours of one step into the hour of the zone they fall in', () => {
    const out = foldSlots(
      [
        { step: 1, slot: 0, count: 2 },
        { step: 1, slot: 1, count: 3 },
        { step: 2, slot: 1, count: 1 },
        { step: 1, slot: 4, count: 5 },
      ],
      from,
      'hour',
      'UTC',
    );
    expect(out).toEqual([
      { start: new Date('2026-12-07T18:00:00Z'), step: 1, count: 5 },
      { start: new Date('2026-12-07T18:00:00Z'), step: 2, count: 1 },
      { start: new Date('2026-12-07T19:00:00Z'), step: 1, count: 5 },
    ]);
  });

  it('cuts days at the midnight of the zone asked for, not of UTC', () => {
    // 18:00Z is 23:30 in Kolkata; slot 2 (18:30Z) is midnight the next day there.
    const out = foldSlots(
      [
        { step: 1, slot: 0, count: 1 },
        { step: 1, slot: 2, count: 4 },
      ],
      from,
      'day',
      'Asia/Kolkata',
    );
    expect(out).toEqual([
      { start: new Date('2026-12-06T18:30:00Z'), step: 1, count: 1 },
      { start: new Date('2026-12-07T18:30:00Z'), step: 1, count: 4 },
    ]);
  });
});

describe('checkUpcomingQuery', () => {
  it('defaults to a week of days in UTC', () => {
    expect(checkUpcomingQuery({})).toEqual({ days: 7, bucket: 'day', timezone: 'UTC' });
  });
  it('refuses a range, bucket or zone it cannot read', () => {
    expect(() => checkUpcomingQuery({ days: 0 })).toThrow(/days/);
    expect(() => checkUpcomingQuery({ days: 90 })).toThrow(/days/);
    expect(() => checkUpcomingQuery({ bucket: 'week' as 'day' })).toThrow(/bucket/);
    expect(() => checkUpcomingQuery({ timezone: 'Mars/Olympus' })).toThrow(/IANA/);
  });
});
