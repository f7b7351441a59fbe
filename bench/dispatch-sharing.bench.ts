import { NestFactory } from '@nestjs/core';
import { prepareDatabase } from '@clarion/database';
import { meanRate, steadySeconds } from '../apps/sandbox/src/receive-rate';
import { type SandboxProcess, spawnSandboxProcess } from '../apps/sandbox/src/spawn-sandbox';
import { dispatchBench } from './dispatch-support';
import { benchRun } from './process-support';

/**
 * Senders shared by several broadcasts, with real worker processes (dist/apps/worker, two by
 * default) and the sandbox as its own process, not enforcing any cap (so an overshoot would show):
 * 1. One sender at BENCH_SHARING_MPS (100 msg/s) with 1, 2 and 5 broadcasts running at once,
 *    BENCH_SHARING_SECONDS (20 s) of sends in all. The rate is counted at the sandbox per whole
 *    second while every broadcast had recipients left, without the first and last second; printed
 *    as a ratio to the cap (goal ≥ 0.95) and to the one-broadcast run of the same run (the baseline).
 * 2. Seven senders at once on the same workers: that sender again with two broadcasts, and six
 *    others at 200 msg/s with one broadcast each.
 * Figures depend on the machine and on what else runs on it.
 */
export async function run(): Promise<void> {
  const cap = Number(process.env.BENCH_SHARING_MPS ?? 100);
  const seconds = Number(process.env.BENCH_SHARING_SECONDS ?? 20);
  const workerCount = Number(process.env.BENCH_SHARING_WORKERS ?? 2);
  const sandbox = await spawnSandboxProcess({
    SANDBOX_WEBHOOK_URL: 'off',
    SANDBOX_CONFIG: JSON.stringify({ templates: null, pairRate: null }),
  });
  await sandbox.configure({ defaultMps: 1_000_000 });
  const run = benchRun('sharing');
  const env = { ...run.env, WHATSAPP_GRAPH_URL: sandbox.url };
  Object.assign(process.env, env);
  await prepareDatabase(run.databaseUrl);
  const { ApiModule } = await import('../apps/api/src/api.module');
  const app = await NestFactory.createApplicationContext(ApiModule, { logger: ['error'] });
  let stopWorkers = () => Promise.resolve();
  try {
    const bench = await dispatchBench(app, env);
    stopWorkers = bench.stopWorkers;
    let offset = 0;
    let senderNo = 0;
    /** A sender at `mps` with `broadcasts` broadcasts of `total / broadcasts` recipients each, all started at once. */
    const prepare = async (mps: number, broadcasts: number, total: number) => {
      const sender = await bench.createSender(`s${senderNo}`, `bench-sharing-${run.runId}-${senderNo++}`, mps);
      const lists: number[] = [];
      for (let i = 0; i < broadcasts; i++) {
        lists.push(await bench.seed(Math.round(total / broadcasts), offset));
        offset += Math.round(total / broadcasts);
      }
      return { sender, mps, lists };
    };
    type Prepared = Awaited<ReturnType<typeof prepare>>;
    const launch = async (p: Prepared) => ({
      ...p,
      ids: await Promise.all(p.lists.map((l, i) => bench.broadcast(p.sender.id, l, `b${i}`))),
    });
    const measure = async (p: Prepared & { ids: number[] }) => measureShared(sandbox, p.sender.phoneNumberId, p.ids);

    await bench.startWorkers(workerCount);
    const results = new Map<number, Shared>();
    for (const broadcasts of [1, 2, 5]) {
      const launched = await launch(await prepare(cap, broadcasts, cap * seconds));
      for (const id of launched.ids) await bench.waitCompleted(id);
      const r = await measure(launched);
      results.set(broadcasts, r);
      const baseline = results.get(1)!.rate;
      console.log(
        `${workerCount} workers, one sender at ${cap} msg/s, ${broadcasts} broadcast${broadcasts > 1 ? 's' : ''}: ${r.rate.toFixed(1)} msg/s over ${r.seconds} s ` +
          `= ${(r.rate / cap).toFixed(3)} of the cap (goal ≥ 0.95: ${r.rate / cap >= 0.95 ? 'met' : 'NOT met'}), ${(r.rate / baseline).toFixed(3)} of one broadcast's; ` +
          `slowest second ${r.slowest}, most in any second ${r.maxInTrailingSecond} (goal ≤ ${cap}); shares ${r.shares.map((s) => s.toFixed(2)).join('/')}`,
      );
    }

    const others = 6;
    const otherMps = 200;
    const shared = await prepare(cap, 2, cap * seconds);
    const rest: Prepared[] = [];
    for (let i = 0; i < others; i++) rest.push(await prepare(otherMps, 1, otherMps * seconds));
    const launched = await Promise.all([shared, ...rest].map(launch));
    for (const l of launched) for (const id of l.ids) await bench.waitCompleted(id);
    const [mine, ...theirs] = await Promise.all(launched.map(measure));
    const otherRatios = theirs.map((t) => t.rate / otherMps);
    console.log(
      `${workerCount} workers, 7 senders at once (${cap + others * otherMps} msg/s in all): the ${cap} msg/s sender with 2 broadcasts ${mine.rate.toFixed(1)} msg/s = ` +
        `${(mine.rate / cap).toFixed(3)} of the cap (goal ≥ 0.95: ${mine.rate / cap >= 0.95 ? 'met' : 'NOT met'}), ${(mine.rate / results.get(1)!.rate).toFixed(3)} of one broadcast alone, ` +
        `most in any second ${mine.maxInTrailingSecond}; the six at ${otherMps} msg/s: ${Math.min(...otherRatios).toFixed(3)}–${Math.max(...otherRatios).toFixed(3)} of their cap, ` +
        `most in any second ${Math.max(...theirs.map((t) => t.maxInTrailingSecond))} (goal ≤ ${otherMps})`,
    );
  } finally {
    await stopWorkers();
    await app.close();
    await sandbox.stop();
    await run.cleanUp();
  }
}

interface Shared {
  /** Mean sends per second at the sandbox while every broadcast had recipients left (first and last second left out). */
  rate: number;
  seconds: number;
  slowest: number;
  maxInTrailingSecond: number;
  /** Each broadcast's share of the sends in that span. */
  shares: number[];
}

async function measureShared(sandbox: SandboxProcess, phoneNumberId: string, ids: number[]): Promise<Shared> {
  const entries = await sandbox.ledger(phoneNumberId);
  const of = (id: number) => entries.filter((e) => e.callbackData?.startsWith(`clarion:b${id}:`)).map((e) => e.acceptedAt);
  const times = ids.map(of);
  const from = Math.max(...times.map((t) => t[0]));
  const to = Math.min(...times.map((t) => t[t.length - 1]));
  const perSecond = steadySeconds(
    entries.map((e) => e.acceptedAt),
    from,
    to,
  );
  const inSpan = times.map((t) => t.filter((x) => x >= from && x <= to).length);
  const all = inSpan.reduce((a, b) => a + b, 0);
  const stats = await sandbox.stats(phoneNumberId);
  return {
    rate: meanRate(perSecond),
    seconds: perSecond.length,
    slowest: perSecond.length ? Math.min(...perSecond) : 0,
    maxInTrailingSecond: stats.maxInTrailingSecond,
    shares: inSpan.map((n) => n / all),
  };
}
