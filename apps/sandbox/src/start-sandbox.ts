import type { LedgerEntry } from './ledger';
import { defaultSandboxConfig, mergeSandboxConfig, type SandboxConfig, type SandboxConfigPatch } from './sandbox-config';
import { SandboxServer, type SandboxStats } from './sandbox-server';

export interface StartSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Applied over the defaults (see SandboxConfig); `webhook.url: null` turns webhooks off. */
  config?: SandboxConfigPatch;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL: use it as WHATSAPP_GRAPH_URL (Cloud) and as an On-Premises sender's baseUrl. */
  url: string;
  configure(patch: SandboxConfigPatch): SandboxConfig;
  /** Forgets messages, counters, pending webhooks and logins; restores the startup configuration. */
  reset(): void;
  /** Accepted messages (all, or filtered/paged). */
  ledger(options?: { phoneNumberId?: string; sinceId?: number; limit?: number }): LedgerEntry[];
  stats(phoneNumberId?: string): SandboxStats;
  /** Resolves when every planned webhook has been posted (or given up on). */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a sandbox in this process. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const config = mergeSandboxConfig(defaultSandboxConfig(), options.config ?? {});
  const server = new SandboxServer(config);
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    configure: (patch) => server.configure(patch),
    reset: () => server.reset(),
    ledger: (filter) => (filter ? server.ledgerEntries({ limit: 100_000, ...filter }).data : server.allLedgerEntries()),
    stats: (phoneNumberId) => server.stats(phoneNumberId),
    webhooksIdle: () => server.webhooksIdle(),
    close: () => server.close(),
  };
}
