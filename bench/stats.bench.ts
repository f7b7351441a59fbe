import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ReconciliationService, StatusIngestService } from '@clarion/stats';
import type { StatusEvent } from '@clarion/whatsapp';
import { fmt, percentiles, seedMidFlightBroadcast, startStatsBench } from './stats-support';

/**
 * Statistics under load. A broadcast with BENCH_STATS_RECIPIENTS (default 1,000,000) recipients
 * mid-flight (seeded with one INSERT…SELECT); while status webhooks stream into
 * StatusIngestService (delivered/read for accepted recipients, in batches as the webhook worker
 * hands them over), `GET /v1/broadcasts/:id` is timed over HTTP (goal p95 < 20 ms).
 * Baseline: a bare primary-key SELECT of the counters row over the same pool, same moment.
 * Also: the ingest rate on its own (goal ≥ 10,000 events/s) against a bare set-based UPDATE of
 * the same number of rows, and `GET /v1/broadcasts/:id/stats` (breakdowns) for reference.
 */
export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_STATS_RECIPIENTS ?? 1_000_000);
  const requests = Number(process.env.BENCH_STATS_REQUESTS ?? 400);
  const bench = await startStatsBench('stats');
  const http = new Pool(bench.url, { connections: 4 });
  try {
    const { db } = bench;
    let t = performance.now();
    const id = await seedMidFlightBroadcast(db, n);
    console.log(`seeded ${n} recipients in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const report = await bench.app.get(ReconciliationService).reconcileBroadcast(id);
    console.log(
      `counters from the rows (reconciliation, ${report.fixes.length} figures set) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const ingest = bench.app.get(StatusIngestService);
    const auth = { authorization: `Bearer ${bench.adminToken}` };
    const get = async (path: string): Promise<number> => {
      const start = performance.now();
      const res = await http.request({ method: 'GET', path, headers: auth });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
      return performance.now() - start;
    };

    // Webhooks for accepted recipients that are only 'sent' so far (n MOD 10 in 6..9): delivered, then read.
    const accepted = Math.floor(n * 0.7);
    const pending: number[] = [];
    for (let i = 0; i < accepted; i++) if (i % 10 >= 6 && i % 50 !== 1) pending.push(i);
    const now = new Date();
    const eventsFor = (slice: number[], status: StatusEvent['status']): StatusEvent[] =>
      slice.map((i) => ({
        kind: 'status',
        phoneNumberId: 'bench',
        wamid: `wamid.bench.${id}.${i}`,
        status,
        timestamp: now,
        recipientId: '91',
      }));

    // 1. Ingest alone.
    const BATCH = 1000;
    const soloCount = Math.min(50_000, Math.floor(pending.length / 4));
    const solo = pending.slice(0, soloCount);
    t = performance.now();
    for (let i = 0; i < solo.length; i += BATCH) await ingest.applyStatuses(eventsFor(solo.slice(i, i + BATCH), 'delivered'));
    const ingestMs = performance.now() - t;
    const baseRows = pending.slice(soloCount, soloCount * 2);
    t = performance.now();
    for (let i = 0; i < baseRows.length; i += BATCH) {
      const wamids = baseRows.slice(i, i + BATCH).map((k) => `wamid.bench.${id}.${k}`);
      await db.transaction(async (m) => {
        await m.query(
          "UPDATE broadcast_recipients SET delivered_at = COALESCE(delivered_at, NOW(3)), status = 'delivered' WHERE wamid IN (?)",
          [wamids],
        );
        await m.query('UPDATE broadcast_stats SET delivered = delivered + ? WHERE broadcast_id = ?', [wamids.length, id]);
      });
    }
    const baseMs = performance.now() - t;
    const ingestRate = soloCount / (ingestMs / 1000);
    const baseRate = baseRows.length / (baseMs / 1000);
    console.log(
      `ingest: ${soloCount} status events in batches of ${BATCH}: ${Math.round(ingestRate)} events/s (goal ≥ 10,000 → ${ingestRate >= 10_000 ? 'met' : 'NOT met'}); ` +
        `bare UPDATE baseline ${Math.round(baseRate)} rows/s; ratio ${(baseRate / ingestRate).toFixed(2)}×`,
    );

    // 2. GET /v1/broadcasts/:id while webhooks stream in.
    const streaming = pending.slice(soloCount * 2);
    let streamed = 0;
    let stop = false;
    const streamer = (async () => {
      for (let i = 0; i < streaming.length && !stop; i += BATCH) {
        const slice = streaming.slice(i, i + BATCH);
        await ingest.applyStatuses([...eventsFor(slice, 'read'), ...eventsFor(slice.slice(0, 200), 'read')]);
        streamed += slice.length + 200;
      }
    })();
    for (let i = 0; i < 20; i++) await get(`/v1/broadcasts/${id}`);
    const apiMs: number[] = [];
    const rawMs: number[] = [];
    const streamStart = performance.now();
    const streamedBefore = streamed;
    for (let i = 0; i < requests; i++) {
      apiMs.push(await get(`/v1/broadcasts/${id}`));
      const s = performance.now();
      await db.query('SELECT * FROM broadcast_stats WHERE broadcast_id = ?', [id]);
      rawMs.push(performance.now() - s);
    }
    const streamRate = (streamed - streamedBefore) / ((performance.now() - streamStart) / 1000);
    stop = true;
    await streamer;
    const api = percentiles(apiMs);
    const raw = percentiles(rawMs);
    console.log(
      `GET /v1/broadcasts/:id (${n} recipients, webhooks streaming at ~${Math.round(streamRate)} events/s): p50 ${fmt(api.p50)}, p95 ${fmt(api.p95)}, p99 ${fmt(api.p99)} ` +
        `(goal p95 < 20 ms → ${api.p95 < 20 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `baseline bare SELECT of the counters row: p50 ${fmt(raw.p50)}, p95 ${fmt(raw.p95)}; ratio p95 ${(api.p95 / raw.p95).toFixed(1)}×`,
    );

    // 3. Detailed stats (breakdowns group the broadcast's rows; for reference).
    const detailMs: number[] = [];
    for (let i = 0; i < 5; i++) detailMs.push(await get(`/v1/broadcasts/${id}/stats`));
    const d = percentiles(detailMs);
    console.log(`GET /v1/broadcasts/:id/stats (breakdowns over ${n} rows): p50 ${fmt(d.p50)}, max ${fmt(Math.max(...detailMs))}`);
  } finally {
    await http.close();
    await bench.close();
  }
}
