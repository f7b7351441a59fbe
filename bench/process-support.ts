import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Helpers for benchmarks that run Clarion's apps as separate processes. */

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

/** Resolves once `url` answers 2xx; gives up after 60 s. */
export async function waitHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become healthy within 60 s`);
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, …); 0 if the process is gone or not Linux. */
export function procStatusKb(pid: number, field: string): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
