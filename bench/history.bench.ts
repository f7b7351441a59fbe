import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ensureDigits, fmt, numbers, percentiles, startStatsBench } from './stats-support';

/**
 * The broadcast history at size: BENCH_HISTORY_BROADCASTS (default 10,000) broadcasts with
 * counters, seeded with INSERT…SELECT. Times `GET /v1/broadcasts` (50 a page) sorted by date, by
 * a figure and by a rate, with a search, a tag filter and a deep cursor page (goal p95 < 100 ms).
 * Baseline: the bare SELECT of one page by date (the cheapest query the list could run).
 */
export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_HISTORY_BROADCASTS ?? 10_000);
  const requests = Number(process.env.BENCH_HISTORY_REQUESTS ?? 100);
  const bench = await startStatsBench('history');
  const http = new Pool(bench.url, { connections: 4 });
  try {
    const { db } = bench;
    await ensureDigits(db);
    const k = Math.round(Math.log10(n));
    let t = performance.now();
    await db.query(
      `INSERT INTO broadcasts (name, sender_id, template_id, template_name, template_language, template_category, status, tags, created_at, started_at)
       SELECT CONCAT(ELT(1 + s.n MOD 4, 'Spring sale ', 'Order update ', 'Winter promo ', 'Newsletter '), s.n), 1 + s.n MOD 5, 1 + s.n MOD 7,
         CONCAT('tpl_', s.n MOD 7), 'en', 'MARKETING', ELT(1 + s.n MOD 3, 'completed', 'running', 'cancelled'),
         JSON_ARRAY(CONCAT('tag', s.n MOD 20)), NOW(3) - INTERVAL s.n MINUTE, NOW(3) - INTERVAL s.n MINUTE
       FROM (${numbers(k)}) s`,
    );
    await db.query(
      `INSERT INTO broadcast_stats (broadcast_id, total, accepted, sent, delivered, \`read\`, replied, failed, skipped, cost)
       SELECT id, 1000 + id MOD 977, 900 + id MOD 97, 850 + id MOD 89, 700 + id MOD 151, 300 + id MOD 307, id MOD 41, id MOD 13, id MOD 7, (850 + id MOD 89) * 0.0107
       FROM broadcasts`,
    );
    console.log(`seeded ${n} broadcasts with counters in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const auth = { authorization: `Bearer ${bench.adminToken}` };
    const get = async (path: string): Promise<{ ms: number; body: { nextCursor: string | null } }> => {
      const start = performance.now();
      const res = await http.request({ method: 'GET', path, headers: auth });
      const body = (await res.body.json()) as { nextCursor: string | null };
      if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - start, body };
    };
    // A cursor deep into the list (page 101 at 10,000), to time a late page too.
    const depth = Math.max(1, Math.min(100, Math.floor(n / 50) - 2));
    let deep: string | null = null;
    for (let i = 0; i < depth; i++)
      deep = (await get(`/v1/broadcasts?sort=readRate&limit=50${deep ? `&cursor=${deep}` : ''}`)).body.nextCursor;

    const cases: Array<[string, string]> = [
      ['newest first', '/v1/broadcasts?limit=50'],
      ['by sent', '/v1/broadcasts?limit=50&sort=sent'],
      ['by delivery rate', '/v1/broadcasts?limit=50&sort=deliveryRate'],
      ['search + status', '/v1/broadcasts?limit=50&search=spring&status=completed'],
      ['tag + sender, by read rate', '/v1/broadcasts?limit=50&tag=tag7&senderId=3&sort=readRate'],
      [`page ${depth + 1} by read rate`, `/v1/broadcasts?limit=50&sort=readRate&cursor=${deep}`],
    ];
    const all: number[] = [];
    for (const [label, path] of cases) {
      for (let i = 0; i < 5; i++) await get(path);
      const ms: number[] = [];
      for (let i = 0; i < requests; i++) ms.push((await get(path)).ms);
      all.push(...ms);
      const p = percentiles(ms);
      console.log(`GET ${label}: p50 ${fmt(p.p50)}, p95 ${fmt(p.p95)}`);
    }
    const rawMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      const s = performance.now();
      await db.query(
        'SELECT b.*, s.* FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id ORDER BY b.created_at DESC, b.id DESC LIMIT 51',
      );
      rawMs.push(performance.now() - s);
    }
    const p = percentiles(all);
    const raw = percentiles(rawMs);
    console.log(`history list over ${n} broadcasts, all cases: p95 ${fmt(p.p95)} (goal < 100 ms → ${p.p95 < 100 ? 'met' : 'NOT met'})`);
    console.log(`baseline bare SELECT of a page by date: p95 ${fmt(raw.p95)}; ratio p95 ${(p.p95 / raw.p95).toFixed(1)}×`);

    t = performance.now();
    const res = await http.request({ method: 'GET', path: '/v1/broadcasts/export.csv', headers: auth });
    const text = await res.body.text();
    const rows = text.split('\n').length - 2;
    console.log(`history export.csv: ${rows} broadcasts in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  } finally {
    await http.close();
    await bench.close();
  }
}
