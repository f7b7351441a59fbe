import { addDays, formatDateTime, formatDuration, startOfDayIn, todayIn, utcOffset, zoneLabel } from './time';

describe('time-zone display', () => {
  const instant = '2026-12-07T13:05:09.000Z';

  it("shows an instant on the viewer's wall clock", () => {
    expect(formatDateTime(instant, 'Europe/Berlin')).toBe('7 Dec 2026, 14:05');
    expect(formatDateTime(instant, 'Asia/Kolkata', true)).toBe('7 Dec 2026, 18:35:09');
    expect(formatDateTime(instant, 'America/Los_Angeles')).toBe('7 Dec 2026, 05:05');
    expect(formatDateTime(instant, 'UTC')).toBe('7 Dec 2026, 13:05');
  });

  it('names the zone with its offset at that time (summer time included)', () => {
    expect(zoneLabel('Europe/Berlin', new Date(instant))).toBe('Europe/Berlin (UTC+01:00)');
    expect(zoneLabel('Europe/Berlin', new Date('2026-07-01T12:00:00Z'))).toBe('Europe/Berlin (UTC+02:00)');
    expect(utcOffset('Asia/Kolkata', new Date(instant))).toBe('UTC+05:30');
    expect(utcOffset('UTC', new Date(instant))).toBe('UTC');
  });

  it('shows a dash for no time or a malformed one', () => {
    expect(formatDateTime(null, 'UTC')).toBe('—');
    expect(formatDateTime('not a date', 'UTC')).toBe('—');
  });

  it("finds the instant a day starts in a zone, and today's date there", () => {
    expect(startOfDayIn('2026-12-07', 'Europe/Berlin').toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(startOfDayIn('2026-12-07', 'Asia/Kolkata').toISOString()).toBe('2026-12-06T18:30:00.000Z');
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(todayIn('Pacific/Auckland', new Date('2026-12-07T13:00:00Z'))).toBe('2026-12-08');
    expect(todayIn('America/Los_Angeles', new Date('2026-12-07T03:00:00Z'))).toBe('2026-12-06');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('writes durations for an ETA', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(185)).toBe('3 min');
    expect(formatDuration(7_500)).toBe('2 h 05 min');
    expect(formatDuration(null)).toBe('—');
  });
});
