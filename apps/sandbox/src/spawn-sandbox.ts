import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The sandbox as its own process (like a remote WhatsApp): its clock and event loop are not the caller's. */
export interface SandboxProcess {
  url: string;
  configure(patch: Record<string, unknown>): Promise<void>;
  stats(phoneNumberId: string): Promise<{ accepted: number; maxInTrailingSecond: number; rejectedByCode: Record<string, number> }>;
  ledger(phoneNumberId: string): Promise<Array<{ to: string; wamid: string; callbackData?: string; acceptedAt: number }>>;
  stop(): Promise<void>;
}

/** A port free on loopback right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the built sandbox (`main`: dist/apps/sandbox/src/main.js, beside this file once built) on a
 * free port and resolves once it answers; `env` may set SANDBOX_MPS, SANDBOX_WEBHOOK_URL ('off'), SANDBOX_CONFIG.
 */
export async function spawnSandboxProcess(env: Record<string, string> = {}, main = join(__dirname, 'main.js')): Promise<SandboxProcess> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main], {
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
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 10_000; ;) {
    try {
      await call('/_sandbox/stats');
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error(`the sandbox process did not start: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
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
    stop,
  };
}
