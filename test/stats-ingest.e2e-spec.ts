import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClarionConfigModule } from '../libs/config/src';
import { DatabaseModule } from '../libs/database/src';
import { callbackDataFor, ReconciliationService, RepliesQuery, StatsModule, StatusIngestService } from '../libs/stats/src';
import type { StatusEvent } from '../libs/whatsapp/src';
import { inboundEvent, seedAcceptedBroadcast, statusEvent, storedStats } from './support/stats-factories';

type Final = 'none' | 'sent' | 'delivered' | 'read' | 'failed' | 'sent+failed';

describe('StatusIngestService (real MariaDB)', () => {
  let app: INestApplicationContext;
  let db: DataSource;
  let ingest: StatusIngestService;
  let reconcile: ReconciliationService;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ClarionConfigModule, DatabaseModule, StatsModule] }).compile();
    app = await moduleRef.init();
    db = app.get(getDataSourceToken());
    ingest = app.get(StatusIngestService);
    reconcile = app.get(ReconciliationService);
  });
  afterAll(() => app.close());

  it('counts each state once per recipient under duplicated, reordered, concurrent batches', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 120 });
    const finals: Final[] = ['none', 'sent', 'delivered', 'read', 'failed', 'sent+failed'];
    const t0 = Date.now() - 60_000;
    const events: StatusEvent[] = [];
    const truth = recipients.map((r, i) => ({ r, final: finals[i % finals.length] }));
    for (const { r, final } of truth) {
      const at = (s: number) => new Date(t0 + s * 1000 + (r.id % 7) * 61_000);
      const pricing = { billable: true, category: 'marketing', pricingModel: 'PMP', type: 'regular' };
      if (final === 'sent' || final === 'sent+failed') events.push(statusEvent(r.wamid, 'sent', at(1), { pricing }));
      if (final === 'delivered')
        events.push(statusEvent(r.wamid, 'sent', at(1), { pricing }), statusEvent(r.wamid, 'delivered', at(2), { pricing }));
      if (final === 'read') events.push(statusEvent(r.wamid, 'read', at(3))); // only the read arrives
      if (final === 'failed' || final === 'sent+failed')
        events.push(
          statusEvent(r.wamid, 'failed', at(4), {
            errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }],
          }),
        );
    }
    const shuffled = [...events, ...events.slice(0, 60)].sort(() => Math.random() - 0.5);
    const thirds = [shuffled.slice(0, 80), shuffled.slice(80, 160), shuffled.slice(160)];
    await Promise.all(thirds.map((batch) => ingest.applyStatuses(batch)));
    await ingest.applyStatuses(events); // a full replay changes nothing

    const count = (pred: (f: Final) => boolean) => truth.filter((t) => pred(t.final)).length;
    const expected = {
      sent: count((f) => ['sent', 'delivered', 'read', 'sent+failed'].includes(f)),
      delivered: count((f) => f === 'delivered' || f === 'read'),
      read: count((f) => f === 'read'),
      failed: count((f) => f === 'failed' || f === 'sent+failed'),
      awaitingDelivery: count((f) => f === 'sent'),
    };
    expect(await storedStats(db, broadcastId)).toMatchObject({ ...expected, total: 120, replied: 0 });
    const priced = count((f) => ['sent', 'delivered', 'sent+failed'].includes(f));
    expect((await storedStats(db, broadcastId)).cost).toBeCloseTo(priced * 0.0107, 6);

    const [statuses] = await db.query(
      `SELECT SUM(status='read') r, SUM(status='delivered') d, SUM(status='failed') f, SUM(status='sent') s FROM broadcast_recipients WHERE broadcast_id = ?`,
      [broadcastId],
    );
    expect(Number(statuses.f)).toBe(expected.failed);
    const [minutes] = await db.query(
      'SELECT SUM(sent) s, SUM(delivered) d, SUM(`read`) r, SUM(failed) f FROM broadcast_minute_stats WHERE broadcast_id = ?',
      [broadcastId],
    );
    expect([Number(minutes.s), Number(minutes.d), Number(minutes.r), Number(minutes.f)]).toEqual([
      expected.sent,
      expected.delivered,
      expected.read,
      expected.failed,
    ]);
    const [country] = await db.query('SELECT sent, delivered, `read`, failed FROM broadcast_country_stats WHERE broadcast_id = ?', [
      broadcastId,
    ]);
    expect([country.sent, country.delivered, country.read, country.failed].map(Number)).toEqual([
      expected.sent,
      expected.delivered,
      expected.read,
      expected.failed,
    ]);
    expect((await reconcile.reconcileBroadcast(broadcastId)).fixes).toEqual([]);
  });

  it('applies a webhook that beats the wamid: by callback data at once, else parked until the wamid appears', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 2, withWamid: false });
    const [a, b] = recipients;
    const now = new Date();
    const r1 = await ingest.applyStatuses([statusEvent(a.wamid, 'delivered', now, { callbackData: callbackDataFor(broadcastId, a.id) })]);
    expect(r1).toMatchObject({ changedRecipients: 1, parked: 0 });
    const [rowA] = await db.query('SELECT wamid, status FROM broadcast_recipients WHERE id = ?', [a.id]);
    expect(rowA).toEqual({ wamid: a.wamid, status: 'delivered' });

    const r2 = await ingest.applyStatuses([statusEvent(b.wamid, 'read', now), statusEvent(b.wamid, 'read', now)]);
    expect(r2.parked).toBe(2);
    expect(await ingest.applyParked()).toBe(0);
    await db.query('UPDATE broadcast_recipients SET wamid = ? WHERE id = ?', [b.wamid, b.id]);
    expect(await ingest.applyParked()).toBe(1);
    expect(await ingest.applyParked()).toBe(0);
    expect(await storedStats(db, broadcastId)).toMatchObject({ sent: 2, delivered: 2, read: 1, awaitingDelivery: 0 });
  });

  it('counts a reply once: exact by context id, else the latest message to that phone in the window', async () => {
    const first = await seedAcceptedBroadcast(db, { n: 3 });
    const [x, y, z] = first.recipients;
    const now = new Date();
    await ingest.applyInbound([
      inboundEvent('wamid.in1', x.phone, now, { contextWamid: x.wamid }),
      inboundEvent('wamid.in1', x.phone, now, { contextWamid: x.wamid }),
      inboundEvent('wamid.in2', x.phone, now, { text: 'STOP' }),
      inboundEvent('wamid.in3', y.phone, now),
    ]);
    await ingest.applyInbound([inboundEvent('wamid.in3', y.phone, now)]);
    // Before z's message was sent: not a reply to it.
    await ingest.applyInbound([inboundEvent('wamid.in4', z.phone, new Date(now.getTime() - 3_600_000))]);
    expect(await storedStats(db, first.broadcastId)).toMatchObject({ replied: 2 });
    const [att] = await db.query('SELECT recipient_id, contact_id FROM inbound_messages WHERE wamid = ?', ['wamid.in1']);
    expect([Number(att.recipient_id), Number(att.contact_id)]).toEqual([x.id, x.contactId]);

    const replies = app.get(RepliesQuery);
    expect(await replies.hasRepliedSince(x.contactId, new Date(now.getTime() - 1000))).toBe(true);
    expect(await replies.hasRepliedSince(z.contactId, new Date(now.getTime() - 1000))).toBe(false);
  });

  it('reconciliation repairs induced drift and reports each figure old → new', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 4 });
    const now = new Date();
    await ingest.applyStatuses(recipients.map((r) => statusEvent(r.wamid, 'delivered', now)));
    await db.query('UPDATE broadcast_stats SET delivered = 9, `read` = 3 WHERE broadcast_id = ?', [broadcastId]);
    await db.query('DELETE FROM broadcast_minute_stats WHERE broadcast_id = ?', [broadcastId]);
    await db.query('UPDATE broadcast_country_stats SET delivered = 1 WHERE broadcast_id = ?', [broadcastId]);
    const report = await reconcile.reconcileBroadcast(broadcastId);
    expect(report.fixes).toEqual(
      expect.arrayContaining([
        { broadcastId, figure: 'delivered', was: 9, now: 4 },
        { broadcastId, figure: 'read', was: 3, now: 0 },
        { broadcastId, figure: 'timeSeries.sent', was: 0, now: 4 },
        { broadcastId, figure: 'countries.IN.delivered', was: 1, now: 4 },
      ]),
    );
    expect(await storedStats(db, broadcastId)).toMatchObject({ delivered: 4, read: 0, sent: 4 });
    expect((await reconcile.reconcileBroadcast(broadcastId)).fixes).toEqual([]);
  });

  it('reconciling while webhooks stream in leaves the counters exact (no lost or doubled delta)', async () => {
    const { broadcastId, recipients } = await seedAcceptedBroadcast(db, { n: 200 });
    await db.query('UPDATE broadcast_stats SET sent = sent + 7 WHERE broadcast_id = ?', [broadcastId]); // drift to repair meanwhile
    const now = new Date();
    const batches = [0, 50, 100, 150].map((from) => recipients.slice(from, from + 50).map((r) => statusEvent(r.wamid, 'delivered', now)));
    await Promise.all([
      ...batches.map((b) => ingest.applyStatuses(b)),
      reconcile.reconcileBroadcast(broadcastId),
      reconcile.reconcileBroadcast(broadcastId),
    ]);
    expect(await storedStats(db, broadcastId)).toMatchObject({ sent: 200, delivered: 200, awaitingDelivery: 0 });
    expect((await reconcile.reconcileBroadcast(broadcastId)).fixes).toEqual([]);
  });
});
