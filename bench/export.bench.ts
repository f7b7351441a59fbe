import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ReconciliationService } from '@clarion/stats';
import { rssOf, seedMidFlightBroadcast, startStatsBench } from './stats-support';

/**
 * Recipient exports at size: BENCH_EXPORT_RECIPIENTS (default 1,000,000) recipients, streamed as
 * CSV over HTTP from a separate API process (goal ≥ 100,000 rows/s with flat memory: the API's
 * RSS is sampled while it streams), then
 * BENCH_EXPORT_XLSX_ROWS (default 100,000) of them as XLSX. Baseline: a bare streaming SELECT of
 * the same columns (mysql2, no formatting, no HTTP).
 */
export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_EXPORT_RECIPIENTS ?? 1_000_000);
  const bench = await startStatsBench('export', { apiProcess: true });
  const http = new Pool(bench.url, { connections: 2, bodyTimeout: 0 });
  try {
    const { db } = bench;
    let t = performance.now();
    const id = await seedMidFlightBroadcast(db, n);
    await bench.app.get(ReconciliationService).reconcileBroadcast(id);
    console.log(`seeded ${n} recipients in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const auth = { authorization: `Bearer ${bench.adminToken}` };
    const mb = (b: number) => `${Math.round(b / 1048576)} MB`;

    const stream = async (path: string): Promise<{ rows: number; bytes: number; ms: number; rssStart: number; rssMax: number }> => {
      const rssStart = rssOf(bench.apiPid);
      let rssMax = rssStart;
      const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssOf(bench.apiPid))), 100);
      const start = performance.now();
      const res = await http.request({ method: 'GET', path, headers: auth });
      let newlines = 0;
      let bytes = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) newlines++;
      }
      clearInterval(sampler);
      if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
      return { rows: newlines - 1, bytes, ms: performance.now() - start, rssStart, rssMax };
    };

    const csv = await stream(`/v1/broadcasts/${id}/recipients.csv`);
    const csvRate = csv.rows / (csv.ms / 1000);
    console.log(
      `recipients.csv: ${csv.rows} rows (${mb(csv.bytes)}) in ${(csv.ms / 1000).toFixed(2)} s = ${Math.round(csvRate)} rows/s (goal ≥ 100,000 → ${csvRate >= 100_000 ? 'met' : 'NOT met'}); ` +
        `API process RSS ${mb(csv.rssStart)} → max ${mb(csv.rssMax)}`,
    );

    t = performance.now();
    const runner = db.createQueryRunner();
    await runner.connect();
    let rawRows = 0;
    try {
      const raw = await runner.stream(
        `SELECT id, contact_id, phone, country, status, wamid, accepted_at, sent_at, delivered_at, read_at, failed_at, replied_at,
           error_code, error_title, error_detail, skip_reason, cost, pricing_category FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY id`,
        [id],
      );
      for await (const row of raw) if (row) rawRows++;
    } finally {
      await runner.release();
    }
    const rawRate = rawRows / ((performance.now() - t) / 1000);
    console.log(
      `baseline bare streaming SELECT: ${rawRows} rows at ${Math.round(rawRate)} rows/s; ratio ${(rawRate / csvRate).toFixed(2)}×`,
    );

    const xlsxRows = Number(process.env.BENCH_EXPORT_XLSX_ROWS ?? 100_000);
    const small = await seedMidFlightBroadcast(db, xlsxRows);
    const x = await stream(`/v1/broadcasts/${small}/recipients.xlsx`);
    console.log(
      `recipients.xlsx: ${xlsxRows} rows (${mb(x.bytes)}) in ${(x.ms / 1000).toFixed(2)} s = ${Math.round(xlsxRows / (x.ms / 1000))} rows/s; API process RSS ${mb(x.rssStart)} → max ${mb(x.rssMax)}`,
    );
  } finally {
    await http.close();
    await bench.close();
  }
}
