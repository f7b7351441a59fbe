/**
 * `npm run bench [name…]`: runs every benchmark listed here (or those whose name contains an
 * argument), one after another. Benchmarks print rates and ratios to a raw baseline measured
 * in the same run; they never fail on a time.
 */
import { spawn } from 'node:child_process';

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
  { name: 'dispatch-sharing', load: () => import('./dispatch-sharing.bench') },
  { name: 'outbox', load: () => import('./outbox.bench') },
  { name: 'console', load: () => import('./console.bench') },
];

/**
 * Each benchmark runs in a child process of its own: they boot Nest apps, and Nest, prom-client
 * and pino keep process-wide state that would otherwise leak from one benchmark into the next.
 */
function runChild(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename, '--child', name], { stdio: 'inherit', env: process.env });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) {
    const bench = BENCHMARKS.find((b) => b.name === process.argv[childIndex + 1]);
    if (!bench) throw new Error(`unknown benchmark ${process.argv[childIndex + 1]}`);
    await (await bench.load()).run();
    return;
  }
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = BENCHMARKS.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.join(', ')} (have: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
    process.exit(2);
  }
  const failed: string[] = [];
  for (const bench of selected) {
    console.log(`\n=== ${bench.name} ===`);
    const started = Date.now();
    if ((await runChild(bench.name)) !== 0) failed.push(bench.name);
    console.log(`=== ${bench.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  }
  if (failed.length > 0) throw new Error(`benchmarks that could not run: ${failed.join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
