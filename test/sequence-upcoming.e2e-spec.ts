import { INestApplication } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bearer, startApi } from './support/apps';

const HOUR = 3_600_000;

/** GET /v1/sequences/:id/upcoming: what falls due, per step and hour or day, from the runs in MySQL. */
describe('Sequence upcoming sends (e2e)', () => {
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let sequenceId: number;
  let contactIds: number[];

  beforeAll(async () => {
    // No worker: nothing is sent, so the runs stay where this file puts them.
    api = await startApi();
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    const senderId = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({ name: 'Upcoming', api: 'cloud', phoneNumberId: `up${randomInt(1e9)}`, accessToken: 'EAAG-upcoming-token' })
        .expect(201)
    ).body.id;
    const template = `upcoming_${randomInt(1e9)}`;
    await db.query(
      "INSERT INTO templates (name, language, category, status, parameter_format, components) VALUES (?, 'en', 'MARKETING', 'APPROVED', 'POSITIONAL', ?)",
      [template, JSON.stringify([{ type: 'BODY', text: 'Hello' }])],
    );
    const step = (delay: string) => ({ template: { name: template, language: 'en' }, delay });
    sequenceId = (
      await http
        .post('/v1/sequences')
        .set(bearer())
        .send({ name: 'Upcoming drip', senderId, steps: [step('P1D'), step('P2D')] })
        .expect(201)
    ).body.id;
    contactIds = [];
    for (let i = 0; i < 5; i++) {
      const res = await db.query("INSERT INTO contacts (phone, name, country) VALUES (?, ?, 'IN')", [
        `+9197${String(randomInt(0, 99_999_999)).padStart(8, '0')}`,
        `Upcoming ${i}`,
      ]);
      contactIds.push(Number(res.insertId));
    }
    await http.post(`/v1/sequences/${sequenceId}/enrollments`).set(bearer()).send({ contactIds }).expect(202);
  });

  afterAll(() => api?.close());

  /** Puts a run at a step, due at a given instant. */
  async function place(contactId: number, step: number, dueAt: Date, status = 'active'): Promise<void> {
    await db.query('UPDATE sequence_enrollments SET next_step = ?, next_due_at = ?, status = ? WHERE sequence_id = ? AND contact_id = ?', [
      step,
      dueAt,
      status,
      sequenceId,
      contactId,
    ]);
  }

  it('counts each active run once, at the step it waits for, per day of the zone asked for', async () => {
    const now = Date.now();
    await place(contactIds[0], 1, new Date(now - HOUR)); // overdue: counts in the first bucket
    await place(contactIds[1], 1, new Date(now + 26 * HOUR));
    await place(contactIds[2], 2, new Date(now + 26 * HOUR));
    await place(contactIds[3], 2, new Date(now + 10 * 24 * HOUR)); // beyond a week
    await place(contactIds[4], 2, new Date(now + 26 * HOUR), 'completed'); // not waiting for anything

    const res = await http.get(`/v1/sequences/${sequenceId}/upcoming?days=7&bucket=day&timezone=Asia/Kolkata`).set(bearer()).expect(200);
    expect(res.body).toMatchObject({ bucket: 'day', timezone: 'Asia/Kolkata', total: 3 });
    const data = res.body.data as Array<{ start: string; step: number; count: number }>;
    expect(data.reduce((n, d) => n + d.count, 0)).toBe(3);
    expect(data.filter((d) => d.step === 1).reduce((n, d) => n + d.count, 0)).toBe(2);
    expect(data.filter((d) => d.step === 2).map((d) => d.count)).toEqual([1]);
    // Days start at Kolkata's midnight (18:30 UTC), and the overdue run is in today's.
    for (const d of data) expect(new Date(d.start).toISOString()).toMatch(/T18:30:00\.000Z$/);
    const today = new Date(data[0].start).getTime();
    expect(today).toBeLessThanOrEqual(now);
    expect(today).toBeGreaterThan(now - 24 * HOUR);

    const ahead = await http.get(`/v1/sequences/${sequenceId}/upcoming?days=14`).set(bearer()).expect(200);
    expect(ahead.body).toMatchObject({ bucket: 'day', timezone: 'UTC', total: 4 });
  });

  it('cuts hours too, each starting on the hour', async () => {
    const now = Date.now();
    for (const id of contactIds) await place(id, 1, new Date(now + 3 * HOUR));
    const res = await http.get(`/v1/sequences/${sequenceId}/upcoming?days=1&bucket=hour`).set(bearer()).expect(200);
    expect(res.body.total).toBe(5);
    expect(res.body.data).toEqual([{ start: expect.stringMatching(/T\d\d:00:00\.000Z$/), step: 1, count: 5 }]);
    const start = new Date(res.body.data[0].start).getTime();
    expect(now + 3 * HOUR - start).toBeGreaterThanOrEqual(0);
    expect(now + 3 * HOUR - start).toBeLessThan(HOUR);
  });

  it('refuses what it cannot read with a 400 naming it, and an unknown sequence with a 404', async () => {
    const bad = await http.get(`/v1/sequences/${sequenceId}/upcoming?timezone=Mars/Olympus`).set(bearer()).expect(400);
    expect(bad.body.message).toMatch(/timezone/);
    await http.get(`/v1/sequences/${sequenceId}/upcoming?days=90`).set(bearer()).expect(400);
    await http.get(`/v1/sequences/${sequenceId}/upcoming?bucket=week`).set(bearer()).expect(400);
    await http.get('/v1/sequences/999999/upcoming').set(bearer()).expect(404);
  });
});
