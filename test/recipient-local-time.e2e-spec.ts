import { DateTime } from 'luxon';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { bearer } from './support/apps';
import { broadcastCompleted, createSender, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import type { Sandbox } from './support/sandbox';
import { startStack, type Stack } from './support/stack';

/** Short, so that a recipient held by the messaging limit falls due within the test. */
const MESSAGING_WINDOW_SECONDS = 6;

const usPhone = () => `+1212${String(randomInt(2_000_000, 9_999_999))}`;
const inPhone = () => `+9198${String(randomInt(0, 99_999_999)).padStart(8, '0')}`;

/**
 * Recipient-local time and quiet hours end to end, with zones on both sides of UTC (New York,
 * Los Angeles, Kolkata): a broadcast with `sendAt: "recipient_local"` reaches each recipient when
 * their own clock shows scheduledAt's wall-clock time (a zone's wave at the sender's cap), zones
 * already past get it at once or the next day; quiet hours hold a recipient until they end.
 */
describe('recipient-local time and quiet hours (API + worker + sandbox)', () => {
  let stack: Stack;
  let sandbox: Sandbox;
  let url: string;
  let db: DataSource;
  const template = `local_${randomInt(1e9)}`;

  beforeAll(async () => {
    stack = await startStack({ sandbox: { templates: null }, env: { MESSAGING_WINDOW_SECONDS: String(MESSAGING_WINDOW_SECONDS) } });
    ({ sandbox, url, db } = stack);
    await db.query(
      "INSERT INTO templates (waba_id, name, language, category, status, parameter_format, components) VALUES ('', ?, 'en', 'MARKETING', 'APPROVED', 'POSITIONAL', ?)",
      [template, JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}' }])],
    );
  });

  afterAll(() => stack?.close());

  const post = (path: string, body: unknown) =>
    request(url)
      .post(path)
      .set(bearer())
      .send(body as object);
  const base = (senderId: number, listId: number) => ({
    name: `local ${randomInt(1e9)}`,
    senderId,
    template: { name: template, language: 'en' },
    audience: { listId },
    variables: { '1': '{{name}}' },
  });
  /** scheduledAt (read in UTC) whose wall clock is what New York's clock shows `ms` from now. */
  const newYorkIn = (ms: number) => {
    const ny = DateTime.now().setZone('America/New_York').plus({ milliseconds: ms });
    return { at: ny.toJSDate(), scheduledAt: DateTime.fromObject(ny.toObject(), { zone: 'UTC' }).toISO()!, wall: ny.toObject() };
  };
  const rowsOf = async (broadcastId: number) =>
    (
      await db.query(
        'SELECT phone, dispatch_state, time_zone, next_attempt_at FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY id',
        [broadcastId],
      )
    ).map((r: { phone: string; dispatch_state: string; time_zone: string | null; next_attempt_at: Date | null }) => r);
  const acceptedAt = (phoneNumberId: string) =>
    new Map(sandbox.ledger({ phoneNumberId }).map((e) => [`+${e.to.replace(/^\+/, '')}`, e.acceptedAt]));

  it('refuses timing settings that do not hold, naming the field', async () => {
    const sender = await createSender(url);
    const { listId } = await seedList(db, 1);
    const expectBad = async (extra: Record<string, unknown>, message: RegExp) => {
      const res = await post('/v1/broadcasts', { ...base(sender.id, listId), ...extra });
      expect(res.status).toBe(400);
      expect(String(res.body.message)).toMatch(message);
    };
    await expectBad({ sendAt: 'recipient_local' }, /scheduledAt: sendAt "recipient_local" needs/);
    await expectBad({ sendAt: 'whenever' }, /sendAt must be/);
    await expectBad({ localTimePassed: 'next_day' }, /localTimePassed: only with sendAt "recipient_local"/);
    await expectBad({ quietHours: { from: '9pm', to: '08:00' } }, /quietHours.from/);
    await expectBad({ timezone: 'Mars/Base' }, /timezone/);
    await expectBad(
      { sendAt: 'recipient_local', scheduledAt: new Date(Date.now() - 27 * 3600_000).toISOString() },
      /passed in every time zone/,
    );
  });

  it("sends at scheduledAt's wall-clock time in each recipient's zone, a zone's wave at the cap, and at once where it has passed", async () => {
    const sender = await createSender(url, { throughputMps: 5 });
    const { at: newYorkTime, scheduledAt } = newYorkIn(8_000);
    const { listId, contacts } = await seedList(db, 12, (i) => {
      if (i === 10) return { phone: inPhone(), country: 'IN' };
      if (i === 11) return { phone: usPhone(), country: 'US', attributes: { timezone: 'America/Los_Angeles' } };
      return { phone: usPhone(), country: 'US' };
    });
    const created = await post('/v1/broadcasts', { ...base(sender.id, listId), sendAt: 'recipient_local', scheduledAt });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sendAt: 'recipient_local', localTimePassed: 'now', quietHours: null });

    const sent = await waitFor(
      async () => {
        const got = acceptedAt(sender.phoneNumberId);
        return got.size >= 11 ? got : undefined;
      },
      40_000,
      'New York and Kolkata recipients to be sent',
    );
    const [newYork, kolkata, losAngeles] = [contacts.slice(0, 10), contacts[10], contacts[11]];
    // Kolkata's 'now' (10.5 h ahead of New York) passed long ago: sent at once, well before New York's.
    expect(sent.get(kolkata.phone)!).toBeLessThan(newYorkTime.getTime());
    for (const c of newYork) expect(sent.get(c.phone)!).toBeGreaterThanOrEqual(newYorkTime.getTime());
    expect(sandbox.stats(sender.phoneNumberId).maxInTrailingSecond).toBeLessThanOrEqual(5);
    // Los Angeles (three hours behind New York) still waits, due at the same wall-clock time there.
    expect(sent.has(losAngeles.phone)).toBe(false);
    const rows = await rowsOf(created.body.id);
    const la = rows.find((r: { phone: string }) => r.phone === losAngeles.phone)!;
    expect(la).toMatchObject({ dispatch_state: 'pending', time_zone: 'America/Los_Angeles' });
    expect(la.next_attempt_at.getTime()).toBe(newYorkTime.getTime() + 3 * 3600_000);
    expect(rows.filter((r: { time_zone: string }) => r.time_zone === 'America/New_York')).toHaveLength(10);
    expect(rows.find((r: { phone: string }) => r.phone === kolkata.phone)!.time_zone).toBe('Asia/Kolkata');
    expect((await request(url).get(`/v1/broadcasts/${created.body.id}`).set(bearer())).body.status).toBe('running');
  });

  it('sends the next day to zones whose time has passed under localTimePassed "next_day"', async () => {
    const sender = await createSender(url);
    const { at: newYorkTime, scheduledAt, wall } = newYorkIn(3_000);
    const { listId, contacts } = await seedList(db, 2, (i) =>
      i === 0 ? { phone: inPhone(), country: 'IN' } : { phone: usPhone(), country: 'US' },
    );
    const created = await post('/v1/broadcasts', {
      ...base(sender.id, listId),
      sendAt: 'recipient_local',
      localTimePassed: 'next_day',
      scheduledAt,
    });
    expect(created.status).toBe(201);
    await waitFor(async () => (acceptedAt(sender.phoneNumberId).has(contacts[1].phone) ? true : undefined), 30_000, 'New York to be sent');
    expect(acceptedAt(sender.phoneNumberId).get(contacts[1].phone)!).toBeGreaterThanOrEqual(newYorkTime.getTime());
    const kolkata = (await rowsOf(created.body.id)).find((r: { phone: string }) => r.phone === contacts[0].phone)!;
    expect(kolkata.dispatch_state).toBe('pending');
    const tomorrow = DateTime.fromObject(wall, { zone: 'Asia/Kolkata' }).plus({ days: 1 });
    expect(kolkata.next_attempt_at.getTime()).toBe(tomorrow.toMillis());
  });

  it('holds recipients inside quiet hours of their own clock until the hours end, and sends the others', async () => {
    const sender = await createSender(url);
    const kolkataNow = DateTime.now().setZone('Asia/Kolkata');
    const end = kolkataNow.plus({ seconds: 6 }).startOf('second');
    const quietHours = { from: kolkataNow.minus({ hours: 1 }).toFormat('HH:mm'), to: end.toFormat('HH:mm:ss') };
    const { listId, contacts } = await seedList(db, 2, (i) =>
      i === 0 ? { phone: inPhone(), country: 'IN' } : { phone: usPhone(), country: 'US' },
    );
    const created = await post('/v1/broadcasts', { ...base(sender.id, listId), quietHours });
    expect(created.status).toBe(201);
    expect(created.body.quietHours).toEqual(quietHours);
    const sent = await waitFor(
      async () => {
        const got = acceptedAt(sender.phoneNumberId);
        return got.size === 2 ? got : undefined;
      },
      30_000,
      'both recipients to be sent',
    );
    // New York's clock is 10.5 hours behind Kolkata's, outside those hours: sent at once.
    expect(sent.get(contacts[1].phone)!).toBeLessThan(end.toMillis());
    expect(sent.get(contacts[0].phone)!).toBeGreaterThanOrEqual(end.toMillis());
    await broadcastCompleted(url, created.body.id, 10_000);
  });

  it('holds a recipient whom the messaging limit delayed into quiet hours until they end', async () => {
    // Limit 2 in a 6 s window: the last two of four wait for the window to roll, which ends inside
    // quiet hours that begin 4 s from now and last until 14 s from now (Kolkata's clock, all four).
    const sender = await createSender(url, { messagingLimit: 2 });
    const kolkataNow = DateTime.now().setZone('Asia/Kolkata');
    const start = kolkataNow.plus({ seconds: 4 }).startOf('second');
    const end = kolkataNow.plus({ seconds: 14 }).startOf('second');
    const quietHours = { from: start.toFormat('HH:mm:ss'), to: end.toFormat('HH:mm:ss') };
    const { listId } = await seedList(db, 4, () => ({ phone: inPhone(), country: 'IN' }));
    const created = await post('/v1/broadcasts', { ...base(sender.id, listId), quietHours });
    expect(created.status).toBe(201);
    const sent = await waitFor(
      async () => {
        const got = acceptedAt(sender.phoneNumberId);
        return got.size === 4 ? [...got.values()].sort((a, b) => a - b) : undefined;
      },
      40_000,
      'all four recipients to be sent',
    );
    expect(sent.slice(0, 2).every((t) => t < start.toMillis())).toBe(true);
    // Only 2 in the first window, the first batch of a sender never used included (it once sent all
    // 4); the window rolled (≥ 6 s after the first sends) while the hours were quiet: they waited.
    expect(sent[2]).toBeGreaterThanOrEqual(sent[0] + MESSAGING_WINDOW_SECONDS * 1000);
    expect(sent.slice(2).every((t) => t >= end.toMillis())).toBe(true);
    await broadcastCompleted(url, created.body.id, 10_000);
  });
});
