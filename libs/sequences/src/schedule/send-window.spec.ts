import { DateTime } from 'luxon';
import { DomainError } from '@clarion/common';
import { isInsideWindow, nextOpening, parseSendWindow, SendWindow } from './send-window';

const weekdays9to18: SendWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' };
const at = (iso: string) => new Date(iso);
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZ');

describe('nextOpening', () => {
  it('leaves an instant inside the window as it is', () => {
    const t = at('2026-11-24T10:00:00Z'); // Tuesday 10:00 UTC
    expect(nextOpening(t, weekdays9to18, 'UTC')).toEqual(t);
  });

  it('moves an evening instant to the next morning in the given zone', () => {
    // Tuesday 20:00 in Kolkata is 14:30 UTC
    const next = nextOpening(at('2026-11-24T14:30:00Z'), weekdays9to18, 'Asia/Kolkata');
    expect(local(next, 'Asia/Kolkata')).toBe('Wed 2026-11-25 09:00 +05:30');
  });

  it('skips the weekend', () => {
    const next = nextOpening(at('2026-11-27T19:00:00Z'), weekdays9to18, 'UTC'); // Friday 19:00
    expect(next.toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('treats the end of the window as outside it', () => {
    expect(nextOpening(at('2026-11-24T18:00:00Z'), weekdays9to18, 'UTC').toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(isInsideWindow(at('2026-11-24T17:59:59Z'), weekdays9to18, 'UTC')).toBe(true);
  });

  it('keeps 09:00 local across the spring-forward change in New York', () => {
    // Sunday 2026-03-08 02:00 EST → 03:00 EDT. Saturday evening (EST) waits until Monday 09:00 EDT.
    const next = nextOpening(at('2026-03-07T23:30:00Z'), weekdays9to18, 'America/New_York');
    expect(next.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(local(next, 'America/New_York')).toBe('Mon 2026-03-09 09:00 -04:00');
  });

  it('keeps 09:00 local across the fall-back change in New York', () => {
    // Sunday 2026-11-01 02:00 EDT → 01:00 EST. Friday 18:30 EDT waits until Monday 09:00 EST.
    const next = nextOpening(at('2026-10-30T22:30:00Z'), weekdays9to18, 'America/New_York');
    expect(next.toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('opens on the DST-change day itself in London at local wall time', () => {
    // 2026-03-29 01:00 GMT → 02:00 BST; a Sunday-only window from 08:00 opens at 07:00 UTC.
    const sunday: SendWindow = { days: ['sun'], from: '08:00', to: '12:00' };
    const next = nextOpening(at('2026-03-28T12:00:00Z'), sunday, 'Europe/London');
    expect(next.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // The week before, still on GMT, the same window opened at 08:00 UTC.
    expect(nextOpening(at('2026-03-21T12:00:00Z'), sunday, 'Europe/London').toISOString()).toBe('2026-03-22T08:00:00.000Z');
  });

  it('moves a window opening inside the spring-forward gap to the first valid time', () => {
    const gap: SendWindow = { days: ['sun'], from: '02:30', to: '04:00' };
    const next = nextOpening(at('2026-03-08T05:00:00Z'), gap, 'America/New_York'); // 00:00 EST
    expect(local(next, 'America/New_York')).toBe('Sun 2026-03-08 03:30 -04:00');
  });

  it('handles an overnight window that belongs to the day it starts on', () => {
    const night: SendWindow = { days: ['fri'], from: '22:00', to: '06:00' };
    expect(isInsideWindow(at('2026-11-28T03:00:00Z'), night, 'UTC')).toBe(true); // Saturday 03:00
    expect(nextOpening(at('2026-11-28T07:00:00Z'), night, 'UTC').toISOString()).toBe('2026-12-04T22:00:00.000Z');
  });

  it('accepts a whole-day window up to 24:00', () => {
    const sat: SendWindow = { days: ['sat'], from: '00:00', to: '24:00' };
    expect(isInsideWindow(at('2026-11-28T23:59:00Z'), sat, 'UTC')).toBe(true);
    expect(nextOpening(at('2026-11-29T00:00:00Z'), sat, 'UTC').toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });
});

describe('parseSendWindow', () => {
  it('normalises days and defaults them to the whole week', () => {
    expect(parseSendWindow({ days: ['Fri', 'mon', 'monday'], from: '09:00', to: '18:00' })).toEqual({
      days: ['mon', 'fri'],
      from: '09:00',
      to: '18:00',
    });
    expect(parseSendWindow({ from: '09:00', to: '18:00' }).days).toHaveLength(7);
  });

  it.each([
    [{ days: ['mon'], from: '9', to: '18:00' }, /window.from/],
    [{ days: ['mon'], from: '09:00', to: '25:00' }, /window.to/],
    [{ days: ['funday'], from: '09:00', to: '18:00' }, /window.days/],
    [{ days: [], from: '09:00', to: '18:00' }, /window.days/],
    [{ days: ['mon'], from: '09:00', to: '09:00' }, /differ/],
    [{ from: '09:00', to: '18:00', zone: 'UTC' }, /unknown field/],
    ['always', /window must be/],
  ])('refuses %p', (value, message) => {
    expect(() => parseSendWindow(value)).toThrow(DomainError);
    expect(() => parseSendWindow(value)).toThrow(message);
  });
});
