import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  answered: number;
}

/** The customer's side: an HTTP server that records every delivery and answers what `answer` says. */
export async function startReceiver(answer: (n: number, raw: string) => number = () => 204) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = answer(received.length, raw);
      received.push({ headers: req.headers, raw, answered: status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** Verified with the Standard Webhooks library, as a receiver would: throws on a bad signature. */
    verified(secret: string): Array<{ id: string; type: string; timestamp: string; data: Record<string, unknown> }> {
      return received
        .filter((r) => r.answered < 300)
        .map((r) => ({
          id: String(r.headers['webhook-id']),
          ...(new Webhook(secret).verify(r.raw, r.headers as Record<string, string>) as {
            type: string;
            timestamp: string;
            data: Record<string, unknown>;
          }),
        }));
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
