import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { startApi, startWorker } from './apps';
import { startSandbox, type Sandbox, type SandboxConfigPatch } from './sandbox';

/** The sandbox, the API and the worker of one test file, in this process. */
export interface Stack {
  sandbox: Sandbox;
  api: INestApplication;
  worker: INestApplicationContext;
  /** The API's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  db: DataSource;
  /** Closes the worker, the API and the sandbox, in that order. */
  close(): Promise<void>;
}

export interface StackOptions {
  /** The sandbox's startup configuration; its webhooks are off unless `webhooks` is given. */
  sandbox?: SandboxConfigPatch;
  /** Variables for the API and the worker besides WHATSAPP_GRAPH_URL (the sandbox's URL). */
  env?: Record<string, string>;
  /** Point the sandbox's webhooks at the API's /webhooks/whatsapp once it listens, with these options. */
  webhooks?: { flushIntervalMs?: number; maxBatch?: number };
  /** Runs once the API listens, before the worker starts (e.g. to create senders the worker then knows from its start). */
  beforeWorker?: (stack: Omit<Stack, 'worker' | 'close'>) => Promise<void>;
}

/**
 * Boots what a broadcast end to end needs: the sandbox, the API on WHATSAPP_GRAPH_URL = the
 * sandbox, then the worker with the same environment. The file's own database and Redis prefix
 * come from per-file-isolation.ts.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = await startSandbox({ config: { ...options.sandbox, webhook: { ...options.sandbox?.webhook, url: null } } });
  const env = { WHATSAPP_GRAPH_URL: sandbox.url, ...options.env };
  let api: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  const close = async () => {
    await worker?.close();
    await api?.close();
    await sandbox.close();
  };
  try {
    api = await startApi(env);
    const url = await api.getUrl();
    const db = api.get(DataSource);
    if (options.webhooks) sandbox.configure({ webhook: { url: `${url}/webhooks/whatsapp`, ...options.webhooks } });
    await options.beforeWorker?.({ sandbox, api, url, db });
    worker = await startWorker(env);
    return { sandbox, api, worker, url, db, close };
  } catch (error) {
    await close();
    throw error;
  }
}
