import { DateTime } from 'luxon';
import { dueAfterPreviousSend, dueAt } from './due-time';
import type { SendWindow } from './send-window';

describe('dueAt', () => {
  const weekdayMornings: SendWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '12:00' };

  it('adds the delay to the anchor when there is no window', () => {
    expect(dueAt(new Date('2026-11-24T10:00:00Z'), 15, null, 'UTC').toISOString()).toBe('2026-11-24T10:00:15.000Z');
  });

  it('counts a day as 24 hours, across a DST change too; the window then restores the local wall time', () => {
    // Friday 10:00 EST + P2D lands Sunday 11:00 EDT (48 h later, clocks went forward): outside the
    // window, so it waits for Monday 09:00 EDT.
    const anchor = DateTime.fromISO('2026-03-06T10:00', { zone: 'America/New_York' }).toJSDate();
    const raw = dueAt(anchor, 2 * 86_400, null, 'America/New_York');
    expect(DateTime.fromJSDate(raw, { zone: 'America/New_York' }).toFormat('ccc HH:mm')).toBe('Sun 11:00');
    const due = dueAt(anchor, 2 * 86_400, weekdayMornings, 'America/New_York');
    expect(DateTime.fromJSDate(due, { zone: 'America/New_York' }).toFormat('ccc yyyy-MM-dd HH:mm ZZ')).toBe('Mon 2026-03-09 09:00 -04:00');
  });

  it('keeps a step that lands inside the window as it is, in the contact zone', () => {
    // Tuesday 09:30 in London is inside; the same instant is 04:30 in New York, outside.
    const anchor = new Date('2026-11-24T09:30:00Z');
    expect(dueAt(anchor, 0, weekdayMornings, 'Europe/London')).toEqual(anchor);
    expect(dueAt(anchor, 0, weekdayMornings, 'America/New_York').toISOString()).toBe('2026-11-24T14:00:00.000Z');
  });
});

describe('dueAfterPreviousSend', () => {
  const now = new Date('2026-11-24T10:00:00Z');

  it('counts the delay from when the previous step was accepted, not from when it was due', () => {
    const accepted = new Date('2026-11-24T09:59:55Z');
    expect(dueAfterPreviousSend({ acceptedAt: accepted, settled: true }, 15, null, 'UTC', now).toISOString()).toBe(
      '2026-11-24T10:00:10.000Z',
    );
  });

  it('moves a step counted from a late send into the window, in the contact zone', () => {
    const window: SendWindow = { days: ['tue'], from: '09:00', to: '10:00' };
    const due = dueAfterPreviousSend({ acceptedAt: new Date('2026-11-24T09:59:00Z'), settled: true }, 120, window, 'UTC', now);
    expect(due.toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });

  it('asks again later while dispatch still holds the previous step, sooner for short delays', () => {
    const waiting = { acceptedAt: null, settled: false };
    expect(dueAfterPreviousSend(waiting, 15, null, 'UTC', now).getTime() - now.getTime()).toBe(3_750);
    expect(dueAfterPreviousSend(waiting, 2, null, 'UTC', now).getTime() - now.getTime()).toBe(1_000);
    expect(dueAfterPreviousSend(waiting, 2 * 86_400, null, 'UTC', now).getTime() - now.getTime()).toBe(60_000);
  });

  it('holds nothing when the previous step never went out or was never handed to dispatch', () => {
    expect(dueAfterPreviousSend({ acceptedAt: null, settled: true }, 15, null, 'UTC', now)).toEqual(now);
    expect(dueAfterPreviousSend(undefined, 15, null, 'UTC', now)).toEqual(now);
  });
});
