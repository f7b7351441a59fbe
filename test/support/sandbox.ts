/**
 * The WhatsApp sandbox for tests, in this process, on a free port:
 *
 *   const sandbox = await startSandbox({ config: { webhook: { url: `${apiUrl}/webhooks/whatsapp` } } });
 *   process.env.WHATSAPP_GRAPH_URL = sandbox.url;           // Cloud senders (any phoneNumberId, any token)
 *   // On-Premises sender: baseUrl `${sandbox.url}/onprem/<phoneNumberId>`, accessToken 'admin:sandbox-password'
 *   sandbox.configure({ faults: { errorRates: { 131000: 1 } }, failNumbers: { '15550001111': 131026 } });
 *   sandbox.ledger({ phoneNumberId });  sandbox.stats(phoneNumberId);  await sandbox.webhooksIdle();
 *   await sandbox.close();
 *
 * Webhooks are signed with SANDBOX_APP_SECRET ('clarion-sandbox-app-secret') unless `webhook.appSecret` is set;
 * `webhook.url: null` turns them off. Defaults (delays, cap 1000 msg/s, demo templates hello_world,
 * order_update, order_confirmation, spring_sale): apps/sandbox/src/sandbox-config.ts.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
export { startSandbox, type Sandbox, type StartSandboxOptions } from '../../apps/sandbox/src/start-sandbox';
export { DEMO_TEMPLATES, type SandboxConfig, type SandboxConfigPatch, type SandboxTemplate } from '../../apps/sandbox/src/sandbox-config';
export type { LedgerEntry } from '../../apps/sandbox/src/ledger';

export interface ReceivedWebhook {
  rawBody: Buffer;
  signature: string | undefined;
  body: unknown;
  receivedAt: number;
}

/** A bare HTTP endpoint that records what the sandbox posts (for tests of the sandbox itself, without the API). */
export async function startWebhookReceiver(
  status = 200,
): Promise<{ url: string; received: ReceivedWebhook[]; setStatus(s: number): void; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  let answer = status;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      if (answer < 300) {
        const header = req.headers['x-hub-signature-256'];
        received.push({
          rawBody,
          signature: Array.isArray(header) ? header[0] : header,
          body: JSON.parse(rawBody.toString('utf8')),
          receivedAt: Date.now(),
        });
      }
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    received,
    setStatus: (s) => (answer = s),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
