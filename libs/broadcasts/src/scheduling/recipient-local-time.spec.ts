import {
  earliestLocalSend,
  latestLocalSend,
  localSendAt,
  parseBroadcastZone,
  parseQuietHours,
  quietUntil,
  wallClockOf,
} from './recipient-local-time';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('recipient-local time', () => {
  // 09:00 on 8 December 2026, as scheduledAt shows it in UTC.
  const wall = wallClockOf(new Date('2026-12-08T09:00:00Z'), null);

  it("reads scheduledAt's wall clock in the broadcast's zone, UTC when it has none", () => {
    expect(wall).toMatchObject({ year: 2026, month: 12, day: 8, hour: 9, minute: 0 });
    expect(wallClockOf(new Date('2026-12-08T03:30:00Z'), 'Asia/Kolkata')).toMatchObject({ day: 8, hour: 9, minute: 0 });
    expect(wallClockOf(new Date('2026-12-08T03:00:00Z'), 'America/New_York')).toMatchObject({ day: 7, hour: 22 });
  });

  it('is due when each recipient’s own clock shows it, on both sides of UTC', () => {
    const early = new Date('2026-12-07T12:00:00Z');
    expect(iso(localSendAt(wall, 'Asia/Kolkata', early, 'now'))).toBe('2026-12-08T03:30:00.000Z');
    expect(iso(localSendAt(wall, 'Asia/Tokyo', early, 'now'))).toBe('2026-12-08T00:00:00.000Z');
    expect(iso(localSendAt(wall, 'America/New_York', early, 'now'))).toBe('2026-12-08T14:00:00.000Z');
    expect(iso(localSendAt(wall, 'America/Los_Angeles', early, 'now'))).toBe('2026-12-08T17:00:00.000Z');
    expect(iso(localSendAt(wall, 'UTC', early, 'now'))).toBe('2026-12-08T09:00:00.000Z');
  });

  it('sends at once, or the next day, to zones whose time has passed', () => {
    const late = new Date('2026-12-08T10:00:00Z'); // 15:30 in Kolkata, 05:00 in New York
    expect(localSendAt(wall, 'Asia/Kolkata', late, 'now')).toBeNull();
    expect(iso(localSendAt(wall, 'Asia/Kolkata', late, 'next_day'))).toBe('2026-12-09T03:30:00.000Z');
    expect(iso(localSendAt(wall, 'America/New_York', late, 'next_day'))).toBe('2026-12-08T14:00:00.000Z');
  });

  it('follows daylight saving time in the recipient’s zone', () => {
    const summer = wallClockOf(new Date('2026-07-01T09:00:00Z'), null);
    const before = new Date('2026-06-30T00:00:00Z');
    expect(iso(localSendAt(summer, 'America/New_York', before, 'now'))).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(localSendAt(summer, 'Australia/Sydney', before, 'now'))).toBe('2026-06-30T23:00:00.000Z');
  });

  it('launches when the zone furthest ahead reaches the time and ends when the one furthest behind does', () => {
    expect(earliestLocalSend(wall).toISOString()).toBe('2026-12-07T19:00:00.000Z');
    expect(latestLocalSend(wall).toISOString()).toBe('2026-12-08T21:00:00.000Z');
  });

  it('holds recipients inside quiet hours until they end in their own clock, midnight-spanning hours included', () => {
    const night = { from: '21:00', to: '08:00' };
    // 16:00 UTC: 21:30 in Kolkata (held until 08:00 there), 11:00 in New York (free).
    const at = new Date('2026-12-08T16:00:00Z');
    expect(iso(quietUntil(at, 'Asia/Kolkata', night))).toBe('2026-12-09T02:30:00.000Z');
    expect(quietUntil(at, 'America/New_York', night)).toBeNull();
    // 06:00 UTC: 01:00 in New York, still tonight's quiet hours, which end at 08:00 the same day there.
    expect(iso(quietUntil(new Date('2026-12-08T06:00:00Z'), 'America/New_York', night))).toBe('2026-12-08T13:00:00.000Z');
    const lunch = { from: '12:00', to: '13:30:30' };
    expect(iso(quietUntil(new Date('2026-12-08T12:00:00Z'), 'UTC', lunch))).toBe('2026-12-08T13:30:30.000Z');
    expect(quietUntil(new Date('2026-12-08T13:30:30Z'), 'UTC', lunch)).toBeNull();
    expect(quietUntil(new Date('2026-12-08T11:59:59Z'), 'UTC', lunch)).toBeNull();
  });

  it('refuses quiet hours and zones that are not such', () => {
    expect(parseQuietHours({ from: '21:00', to: '08:00' })).toEqual({ from: '21:00', to: '08:00' });
    expect(parseQuietHours(undefined)).toBeNull();
    expect(() => parseQuietHours({ from: '9pm', to: '08:00' })).toThrow(/quietHours.from/);
    expect(() => parseQuietHours({ from: '21:00', to: '24:00' })).toThrow(/quietHours.to/);
    expect(() => parseQuietHours({ from: '08:00', to: '08:00' })).toThrow(/differ/);
    expect(parseBroadcastZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(() => parseBroadcastZone('Mars/Base')).toThrow(/timezone/);
  });
});
