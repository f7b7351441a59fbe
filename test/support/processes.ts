import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxProcess, spawnSandboxProcess as spawnSandbox } from '../../apps/sandbox/src/spawn-sandbox';

const APP_MAIN = (role: 'api' | 'worker') => join(__dirname, '..', '..', 'dist', 'apps', role, 'src', 'main.js');

/** A real Clarion process from the build output (`npm run build` first; `npm test` does it). */
export interface SpawnedWorker {
  pid: number;
  /** Resolves once the process has exited, with its exit code. */
  exited: Promise<number | null>;
  /** SIGTERM (graceful: current batches finish, unsent claims are handed back), SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL: no cleanup at all, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** The last 4,000 characters the process wrote to stderr. */
  stderr(): string;
}

export type SpawnedApp = SpawnedWorker;

/**
 * Starts `node dist/apps/worker/src/main.js` with this process's environment plus `env`
 * (DATABASE_URL, REDIS_PREFIX, WHATSAPP_GRAPH_URL, …). Its stderr is shown only if it fails to start.
 */
export function spawnWorkerProcess(env: Record<string, string>): SpawnedWorker {
  return spawnAppProcess('worker', env);
}

/**
 * Starts `node dist/apps/<role>/src/main.js` likewise (for the API, set PORT). `expectFailure`
 * keeps a non-zero exit quiet: the test reads `stderr()` itself.
 */
export function spawnAppProcess(
  role: 'api' | 'worker',
  env: Record<string, string>,
  options: { expectFailure?: boolean } = {},
): SpawnedApp {
  const main = APP_MAIN(role);
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (code !== 0 && code !== null && !options.expectFailure)
        process.stderr.write(`${role} ${child.pid} exited with ${code}:\n${stderr}\n`);
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
  return { pid: child.pid!, exited, stop: () => signal('SIGTERM', 5_000), kill: () => signal('SIGKILL', 0), stderr: () => stderr };
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

export type { SandboxProcess } from '../../apps/sandbox/src/spawn-sandbox';

/** Starts `node dist/apps/sandbox/src/main.js` on a free port; `env` may set SANDBOX_MPS, SANDBOX_WEBHOOK_URL ('off'), SANDBOX_CONFIG. */
export function spawnSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  return spawnSandbox(env, SANDBOX_MAIN);
}
