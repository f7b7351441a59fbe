import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { StatusIngestService } from '../libs/stats/src';
import { bearer, startApi } from './support/apps';
import { inboundEvent, seedAcceptedBroadcast, statusEvent } from './support/stats-factories';

/** Collects a binary (XLSX) response body into a Buffer. */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('Broadcast history, statistics and exports (API)', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let analyst: string;
  let marketer: string;
  const tag = `t${Date.now()}`;
  let a: Awaited<ReturnType<typeof seedAcceptedBroadcast>>;
  let b: Awaited<ReturnType<typeof seedAcceptedBroadcast>>;
  let c: Awaited<ReturnType<typeof seedAcceptedBroadcast>>;

  beforeAll(async () => {
    app = await startApi();
    http = request(app.getHttpServer());
    db = app.get(getDataSourceToken());
    analyst = (await http.post('/v1/tokens').set(bearer()).send({ name: 'analyst', role: 'analyst' }).expect(201)).body.token;
    marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'marketer', role: 'marketer' }).expect(201)).body.token;

    const ingest = app.get(StatusIngestService);
    a = await seedAcceptedBroadcast(db, { n: 10, name: `Spring sale ${tag}`, tags: [tag, 'spring'], templateName: 'spring_promo' });
    b = await seedAcceptedBroadcast(db, { n: 10, name: `=HYPERLINK("x") ${tag}`, tags: [tag], country: 'BR', templateName: 'other' });
    c = await seedAcceptedBroadcast(db, { n: 4, name: `Winter ${tag}`, tags: ['winter'] });
    const now = new Date(Date.now() - 30_000);
    const pricing = { billable: true, category: 'marketing', pricingModel: 'CBP' };
    // a: 8 delivered (4 read), 2 failed (one with a formula-looking title); b: 5 delivered of 10 sent
    await ingest.applyStatuses([
      ...a.recipients.slice(0, 8).map((r) => statusEvent(r.wamid, 'delivered', now, { pricing })),
      ...a.recipients.slice(0, 4).map((r) => statusEvent(r.wamid, 'read', now)),
      statusEvent(a.recipients[8].wamid, 'failed', now, { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
      statusEvent(a.recipients[9].wamid, 'failed', now, { errors: [{ code: 131000, title: '=cmd|calc' }] }),
      ...b.recipients.map((r) => statusEvent(r.wamid, 'sent', now)),
      ...b.recipients.slice(0, 5).map((r) => statusEvent(r.wamid, 'delivered', now)),
    ]);
    await ingest.applyInbound([
      inboundEvent(`wamid.reply.${tag}`, a.recipients[0].phone, new Date(), { contextWamid: a.recipients[0].wamid }),
    ]);
  });
  afterAll(() => app.close());

  it('lists, searches and filters the history with figures and rates', async () => {
    const res = await http.get('/v1/broadcasts').query({ tag, sort: 'deliveryRate' }).set(bearer(analyst)).expect(200);
    expect(res.body.data.map((x: { id: number }) => x.id)).toEqual([a.broadcastId, b.broadcastId]);
    expect(res.body.data[0]).toMatchObject({
      name: `Spring sale ${tag}`,
      template: { name: 'spring_promo' },
      stats: { total: 10, sent: 8, delivered: 8, read: 4, replied: 1, failed: 2, awaitingDelivery: 0, queued: 0 },
      rates: { deliveryRate: 1, readRate: 0.5, replyRate: 0.125 },
    });
    expect(res.body.data[1]).toMatchObject({ stats: { sent: 10, delivered: 5, awaitingDelivery: 5 }, rates: { deliveryRate: 0.5 } });

    const search = await http
      .get('/v1/broadcasts')
      .query({ search: 'spring sale', template: 'spring_promo' })
      .set(bearer(analyst))
      .expect(200);
    expect(search.body.data.map((x: { id: number }) => x.id)).toEqual([a.broadcastId]);
    const none = await http.get('/v1/broadcasts').query({ tag, status: 'completed' }).set(bearer(analyst)).expect(200);
    expect(none.body).toEqual({ data: [], nextCursor: null });
  });

  it('pages with a cursor on the sort key, every broadcast once, in order', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await http
        .get('/v1/broadcasts')
        .query({ sort: 'sent', order: 'asc', limit: 1, ...(cursor ? { cursor } : {}) })
        .set(bearer(analyst))
        .expect(200);
      seen.push(...res.body.data.map((x: { id: number }) => x.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.indexOf(c.broadcastId)).toBeLessThan(seen.indexOf(a.broadcastId));
    expect(seen.indexOf(a.broadcastId)).toBeLessThan(seen.indexOf(b.broadcastId));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a bad sort, status or cursor with 400 naming it', async () => {
    expect((await http.get('/v1/broadcasts').query({ sort: 'bogus' }).set(bearer(analyst)).expect(400)).body.message.join(' ')).toMatch(
      /sort/,
    );
    expect((await http.get('/v1/broadcasts').query({ status: 'nope' }).set(bearer(analyst)).expect(400)).body.message.join(' ')).toMatch(
      /status/,
    );
    expect((await http.get('/v1/broadcasts').query({ cursor: 'xx' }).set(bearer(analyst)).expect(400)).body.message).toMatch(/cursor/);
    await http.get('/v1/broadcasts/abc/stats').set(bearer(analyst)).expect(400);
    await http.get('/v1/broadcasts/99999999/stats').set(bearer(analyst)).expect(404);
  });

  it('gives detailed stats: failures by code with Meta title, countries, per-minute series, cost', async () => {
    const res = await http.get(`/v1/broadcasts/${a.broadcastId}/stats`).set(bearer(analyst)).expect(200);
    expect(res.body.failuresByCode).toEqual(
      expect.arrayContaining([
        { code: 131026, title: 'Message undeliverable', count: 1 },
        { code: 131000, title: '=cmd|calc', count: 1 },
      ]),
    );
    expect(res.body.countries).toEqual([
      { country: 'IN', sent: 8, delivered: 8, read: 4, replied: 1, failed: 2, cost: expect.closeTo(8 * 0.0107, 6) },
    ]);
    const sum = (k: string) => res.body.timeSeries.reduce((n: number, m: Record<string, number>) => n + m[k], 0);
    expect([sum('sent'), sum('delivered'), sum('read'), sum('failed')]).toEqual([8, 8, 4, 2]);
    expect(res.body.stats.cost).toBeCloseTo(8 * 0.0107, 6);
  });

  it('drills down recipients by status with state times and error codes, paged', async () => {
    const failed = await http
      .get(`/v1/broadcasts/${a.broadcastId}/recipients`)
      .query({ status: 'failed', limit: 1 })
      .set(bearer(analyst))
      .expect(200);
    expect(failed.body.data[0]).toMatchObject({ status: 'failed', errorCode: 131026, errorTitle: 'Message undeliverable' });
    expect(failed.body.data[0].failedAt).toBeTruthy();
    const next = await http
      .get(`/v1/broadcasts/${a.broadcastId}/recipients`)
      .query({ status: 'failed', cursor: failed.body.nextCursor })
      .set(bearer(analyst))
      .expect(200);
    expect(next.body).toMatchObject({ data: [{ errorCode: 131000 }], nextCursor: null });
    const read = await http.get(`/v1/broadcasts/${a.broadcastId}/recipients`).query({ status: 'read' }).set(bearer(analyst)).expect(200);
    expect(read.body.data).toHaveLength(4);
    expect(read.body.data[0].sentAt && read.body.data[0].deliveredAt && read.body.data[0].readAt).toBeTruthy();
    const replied = await http
      .get(`/v1/broadcasts/${a.broadcastId}/recipients`)
      .query({ status: 'replied' })
      .set(bearer(analyst))
      .expect(200);
    expect(replied.body.data.map((r: { id: number }) => r.id)).toEqual([a.recipients[0].id]);
  });

  it('exports recipients as formula-safe CSV and as XLSX', async () => {
    const csv = await http.get(`/v1/broadcasts/${a.broadcastId}/recipients.csv`).set(bearer(analyst)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^recipient_id,contact_id,phone,/);
    expect(lines).toHaveLength(11);
    expect(csv.text).toContain(`'${a.recipients[0].phone}`);
    expect(csv.text).toContain("'=cmd|calc");
    expect(csv.text).not.toMatch(/,=cmd/);

    const xlsx = await http
      .get(`/v1/broadcasts/${a.broadcastId}/recipients.xlsx`)
      .query({ status: 'failed' })
      .set(bearer(analyst))
      .buffer(true)
      .parse(binary)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(1).getCell(1).value).toBe('recipient_id');
  });

  it('exports the history as CSV (formula-safe, not mistaken for a broadcast id) and XLSX', async () => {
    const csv = await http.get('/v1/broadcasts/export.csv').query({ tag }).set(bearer(analyst)).expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain(`"'=HYPERLINK(""x"") ${tag}"`);
    const xlsx = await http.get('/v1/broadcasts/export.xlsx').query({ tag }).set(bearer(analyst)).buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    expect(wb.worksheets[0].rowCount).toBe(3);
  });

  it('sums a dashboard by day', async () => {
    const res = await http
      .get('/v1/dashboard')
      .query({ from: new Date(Date.now() - 86_400_000).toISOString() })
      .set(bearer(analyst))
      .expect(200);
    const today = new Date().toISOString().slice(0, 10);
    const day = res.body.days.find((d: { day: string }) => d.day === today);
    expect(day.sent).toBeGreaterThanOrEqual(18);
    expect(res.body.totals.replied).toBeGreaterThanOrEqual(1);
    await http.get('/v1/dashboard').query({ from: '2026-02-01', to: '2026-01-01' }).set(bearer(analyst)).expect(400);
  });

  it('lets marketers reconcile on demand and forbids analysts (403)', async () => {
    await db.query('UPDATE broadcast_stats SET `read` = `read` + 3 WHERE broadcast_id = ?', [a.broadcastId]);
    await http.post(`/v1/broadcasts/${a.broadcastId}/reconcile`).set(bearer(analyst)).expect(403);
    const res = await http.post(`/v1/broadcasts/${a.broadcastId}/reconcile`).set(bearer(marketer)).expect(200);
    expect(res.body).toEqual({ broadcasts: 1, fixes: [{ broadcastId: a.broadcastId, figure: 'read', was: 7, now: 4 }] });
    await http.get('/v1/broadcasts').set(bearer('clr_nope')).expect(401);
  });
});
