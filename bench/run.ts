/**
 * `npm run bench [name…]`: runs every benchmark listed here (or those whose name contains an
 * argument), one after another. Benchmarks print rates and ratios to a raw baseline measured
 * in the same run; they never fail on a time.
 */
interface Benchmark {
  name: string;
  load: () => Promise<{ run: () => Promise<void> }>;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'import', load: () => import('./import.bench') },
  { name: 'whatsapp-client', load: () => import('./whatsapp-client.bench') },
  { name: 'sequence', load: () => import('./sequence.bench') },
  { name: 'webhook-ingest', load: () => import('./webhook-ingest.bench') },
  { name: 'stats', load: () => import('./stats.bench') },
  { name: 'history', load: () => import('./history.bench') },
  { name: 'export', load: () => import('./export.bench') },
  { name: 'dispatch', load: () => import('./dispatch.bench') },
];

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = BENCHMARKS.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.join(', ')} (have: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
    process.exit(2);
  }
  for (const bench of selected) {
    console.log(`\n=== ${bench.name} ===`);
    const started = Date.now();
    await (await bench.load()).run();
    console.log(`=== ${bench.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
