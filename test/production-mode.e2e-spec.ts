import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { SANDBOX_APP_SECRET, signPayload } from '@clarion/whatsapp';
import { freePort } from '../apps/sandbox/src/spawn-sandbox';
import { parseDatabaseUrl } from '../libs/database/src/database-url';
import { SpawnedApp, spawnAppProcess, waitFor } from './support/processes';

const KEY = randomBytes(32).toString('hex');
const APP_SECRET = 'production-app-secret';

/** A webhook body that would opt a number out if it were believed. */
function forgedOptOut(from: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: 'any' },
              messages: [{ from, id: `wamid.forged${from}`, timestamp: '1', type: 'text', text: { body: 'STOP' } }],
            },
          },
        ],
      },
    ],
  });
}

/** Boots the built API (as `npm run start:api` does) and resolves once /health answers. */
async function startApiProcess(env: Record<string, string>): Promise<{ app: SpawnedApp; url: string }> {
  const port = await freePort();
  const app = spawnAppProcess('api', { PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (app.stderr().includes('failed to start')) throw new Error(app.stderr());
      return fetch(`${url}/health`).then(
        (r) => r.status > 0,
        () => false,
      );
    },
    30_000,
    'the API process to listen',
  );
  return { app, url };
}

async function postWebhook(url: string, body: string, secret: string): Promise<number> {
  const res = await fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, secret) },
    body,
  });
  return res.status;
}

async function storedWebhooks(): Promise<number> {
  const db = await createConnection(parseDatabaseUrl(process.env.DATABASE_URL as string));
  try {
    const [rows] = await db.query('SELECT COUNT(*) AS n FROM webhook_events');
    return Number((rows as Array<{ n: number }>)[0].n);
  } finally {
    await db.end();
  }
}

describe('production mode', () => {
  const running: SpawnedApp[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });

  describe('refuses to boot without its secrets, naming the variable', () => {
    it.each([
      ['api', 'WHATSAPP_APP_SECRET', { CLARION_ENCRYPTION_KEY: KEY, WHATSAPP_APP_SECRET: '' }],
      ['api', 'CLARION_ENCRYPTION_KEY', { CLARION_ENCRYPTION_KEY: '', WHATSAPP_APP_SECRET: APP_SECRET }],
      ['worker', 'CLARION_ENCRYPTION_KEY', { CLARION_ENCRYPTION_KEY: '' }],
    ] as const)('the %s without %s exits non-zero and says so', async (role, variable, env) => {
      const port = await freePort();
      const app = spawnAppProcess(
        role,
        { NODE_ENV: 'production', WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9', PORT: String(port), ...env },
        { expectFailure: true },
      );
      running.push(app);
      const code = await app.exited;
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(app.stderr()).toMatch(
        new RegExp(`failed to start: Invalid configuration:[\\s\\S]*${variable}: required when NODE_ENV=production`),
      );
    });
  });

  it('boots a production worker without WHATSAPP_APP_SECRET (only the API verifies webhooks)', async () => {
    const workerPort = await freePort();
    const worker = spawnAppProcess('worker', {
      NODE_ENV: 'production',
      CLARION_ENCRYPTION_KEY: KEY,
      WHATSAPP_APP_SECRET: '',
      WORKER_PORT: String(workerPort),
    });
    running.push(worker);
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${workerPort}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
      'the production worker to answer /health',
    );
  });

  it('a production API checks webhooks with its app secret only: one signed with the sandbox secret is refused, on loopback too', async () => {
    const { app, url } = await startApiProcess({
      NODE_ENV: 'production',
      CLARION_ENCRYPTION_KEY: KEY,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
    });
    running.push(app);
    const before = await storedWebhooks();
    expect(await postWebhook(url, forgedOptOut('4915100000001'), SANDBOX_APP_SECRET)).toBe(401);
    expect(await storedWebhooks()).toBe(before);
    expect(await postWebhook(url, forgedOptOut('4915100000002'), APP_SECRET)).toBe(200);
    expect(await storedWebhooks()).toBe(before + 1);
  });

  it.each(['http://127.0.0.1.nip.io:3999', 'http://localhost.evil.com:3999'])(
    'outside production, refuses the sandbox secret when the Graph URL only looks local (%s)',
    async (graphUrl) => {
      const { app, url } = await startApiProcess({ NODE_ENV: 'development', WHATSAPP_APP_SECRET: '', WHATSAPP_GRAPH_URL: graphUrl });
      running.push(app);
      const before = await storedWebhooks();
      expect(await postWebhook(url, forgedOptOut('4915100000003'), SANDBOX_APP_SECRET)).toBe(401);
      expect(await storedWebhooks()).toBe(before);
    },
  );

  it('outside production, accepts the sandbox secret with the Graph URL on loopback (the demo and the tests)', async () => {
    const { app, url } = await startApiProcess({
      NODE_ENV: 'development',
      WHATSAPP_APP_SECRET: '',
      WHATSAPP_GRAPH_URL: 'http://127.0.0.1:3999',
    });
    running.push(app);
    const before = await storedWebhooks();
    expect(await postWebhook(url, forgedOptOut('4915100000004'), SANDBOX_APP_SECRET)).toBe(200);
    expect(await storedWebhooks()).toBe(before + 1);
  });
});
