import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const WORKER_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');

/** A real worker process from the build output (`npm run build` first; `npm test` does it). */
export interface SpawnedWorker {
  pid: number;
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM (graceful: current batches finish, unsent claims are handed back), SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL: no cleanup at all, as in a crash or an OOM kill. */
  kill(): Promise<void>;
}

/**
 * Starts `node dist/apps/worker/src/main.js` with this process's environment plus `env`
 * (DATABASE_URL, REDIS_PREFIX, WHATSAPP_GRAPH_URL, …). Its stderr is shown only if it fails to start.
 */
export function spawnWorkerProcess(env: Record<string, string>): SpawnedWorker {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run npm run build`);
  const child: ChildProcess = spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`worker ${child.pid} exited with ${code}:\n${stderr}\n`);
      resolve(code);
    }),
  );
  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.kill(sig);
    await exited;
    clearTimeout(timer);
  };
  return { pid: child.pid!, exited, stop: () => signal('SIGTERM', 5_000), kill: () => signal('SIGKILL', 0) };
}

/** Polls `check` every 100 ms until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SANDBOX_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'sandbox', 'src', 'main.js');

/** The sandbox as its own process (like a remote WhatsApp): its clock and event loop are not the test's. */
export interface SandboxProcess {
  url: string;
  configure(patch: Record<string, unknown>): Promise<void>;
  stats(phoneNumberId: string): Promise<{ accepted: number; maxInTrailingSecond: number; rejectedByCode: Record<string, number> }>;
  ledger(phoneNumberId: string): Promise<Array<{ to: string; wamid: string; callbackData?: string; acceptedAt: number }>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node dist/apps/sandbox/src/main.js` on a free port; `env` may set SANDBOX_MPS, SANDBOX_WEBHOOK_URL ('off'), SANDBOX_CONFIG. */
export async function spawnSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  if (!existsSync(SANDBOX_MAIN)) throw new Error(`${SANDBOX_MAIN} is missing: run npm run build`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SANDBOX_MAIN], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_HOST: '127.0.0.1', SANDBOX_LOG: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const call = async <T = unknown>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(
      `${url}${path}`,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  await waitFor(
    () =>
      call('/_sandbox/stats').then(
        () => true,
        () => false,
      ),
    10_000,
    'the sandbox process to listen',
  );
  return {
    url,
    configure: async (patch) => void (await call('/_sandbox/config', patch)),
    stats: (phoneNumberId) => call(`/_sandbox/stats?phoneNumberId=${encodeURIComponent(phoneNumberId)}`),
    ledger: async (phoneNumberId) =>
      (
        await call<{ data: Awaited<ReturnType<SandboxProcess['ledger']>> }>(
          `/_sandbox/ledger?phoneNumberId=${encodeURIComponent(phoneNumberId)}&limit=1000000`,
        )
      ).data,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
