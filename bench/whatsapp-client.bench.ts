import { Pool } from 'undici';
import { spawnSandboxProcess } from '../apps/sandbox/src/spawn-sandbox';
import { buildTemplateRequest, WhatsAppClients, type SenderCredentials, type TemplateMessage } from '@clarion/whatsapp';

/**
 * The Cloud API client alone against the sandbox in a separate process (cap out of reach, webhooks
 * off), as a ratio to a bare undici loop sending the same bodies at the same concurrency.
 * Target: ≥ 3,000 msg/s through the client.
 */
const MESSAGES = Number(process.env.BENCH_WA_MESSAGES ?? 30_000);
const CONCURRENCY = Number(process.env.BENCH_WA_CONCURRENCY ?? 64);
const WARMUP = 2_000;
const VERSION = 'v23.0';
const sender: SenderCredentials = { id: 1, api: 'cloud', phoneNumberId: '3000001', accessToken: 'bench-token' };

function message(i: number): TemplateMessage {
  return {
    to: `+1555${String(i % 10_000_000).padStart(7, '0')}`,
    template: {
      name: 'order_update',
      language: 'en_US',
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: `Customer ${i}` },
            { type: 'text', text: `A-${i}` },
          ],
        },
      ],
    },
    bizOpaqueCallbackData: `b:1/r:${i}`,
  };
}

/** Runs `send(i)` for i in [from, from + count) with `CONCURRENCY` in flight; returns msg/s. */
async function measure(from: number, count: number, send: (i: number) => Promise<boolean>): Promise<{ rate: number; failed: number }> {
  let nextIndex = from;
  let failed = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextIndex < from + count) if (!(await send(nextIndex++))) failed++;
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: count / seconds, failed };
}

export async function run(): Promise<void> {
  const sandbox = await spawnSandboxProcess({
    SANDBOX_WEBHOOK_URL: 'off',
    SANDBOX_MPS: '100000000',
    SANDBOX_CONFIG: JSON.stringify({ pairRate: null, ledgerLimit: 200_000 }),
  });
  const url = sandbox.url;
  const origin = new URL(url).origin;
  // Same pool size as the bare loop (the dispatcher's in-flight limit plays that part in Clarion) …
  const clients = new WhatsAppClients({ graphUrl: url, graphVersion: VERSION, http: { connections: CONCURRENCY } });
  const client = clients.for(sender);
  // … and, for information, the default sizing (1,024 per origin, meant for Meta's ~200 ms answers).
  const defaultClients = new WhatsAppClients({ graphUrl: url, graphVersion: VERSION });
  const bare = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  const path = `/${VERSION}/${sender.phoneNumberId}/messages`;
  const headers = { authorization: `Bearer ${sender.accessToken}`, 'content-type': 'application/json' };
  const bodies = Array.from({ length: MESSAGES + WARMUP }, (_, i) => JSON.stringify(buildTemplateRequest(message(i))));
  const baseline = async (i: number) => {
    const response = await bare.request({ method: 'POST', path, headers, body: bodies[i] });
    await response.body.text();
    return response.statusCode === 200;
  };
  const viaClient = async (i: number) => (await client.sendTemplate(sender, message(i))).ok;
  try {
    await measure(0, WARMUP, baseline);
    await measure(0, WARMUP, viaClient);
    // Alternate the two (two rounds each) so neither gains from running second on a warmer sandbox.
    const half = Math.floor(MESSAGES / 2);
    const raw1 = await measure(WARMUP, half, baseline);
    const ours1 = await measure(WARMUP, half, viaClient);
    const ours2 = await measure(WARMUP + half, half, viaClient);
    const raw2 = await measure(WARMUP + half, half, baseline);
    const raw = { rate: (raw1.rate + raw2.rate) / 2, failed: raw1.failed + raw2.failed };
    const ours = { rate: (ours1.rate + ours2.rate) / 2, failed: ours1.failed + ours2.failed };
    console.log(
      `rounds: bare ${raw1.rate.toFixed(0)}, ${raw2.rate.toFixed(0)}; client ${ours1.rate.toFixed(0)}, ${ours2.rate.toFixed(0)} msg/s`,
    );
    console.log(`sandbox: separate process at ${url}; ${MESSAGES} messages each, ${CONCURRENCY} in flight`);
    console.log(`bare undici loop     ${raw.rate.toFixed(0).padStart(7)} msg/s  (failed ${raw.failed})`);
    console.log(`CloudApiClient       ${ours.rate.toFixed(0).padStart(7)} msg/s  (failed ${ours.failed})  target ≥ 3000`);
    console.log(`ratio client / bare  ${(ours.rate / raw.rate).toFixed(2)}`);
    const viaDefault = async (i: number) => (await defaultClients.for(sender).sendTemplate(sender, message(i))).ok;
    await measure(0, WARMUP, viaDefault);
    const wide = await measure(WARMUP, half, viaDefault);
    console.log(
      `CloudApiClient, default pool (1,024 connections allowed): ${wide.rate.toFixed(0)} msg/s, ratio ${(wide.rate / raw.rate).toFixed(2)}`,
    );
  } finally {
    await bare.close();
    await clients.close();
    await defaultClients.close();
    await sandbox.stop();
  }
}
