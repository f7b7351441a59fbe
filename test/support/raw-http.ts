import { connect } from 'node:net';

/** What a raw request got back: the status and body, or `closed` when the server hung up first. */
export type RawAnswer = { status: number; headers: Record<string, string>; body: string } | 'closed';

/**
 * Sends an HTTP/1.1 request byte for byte over a plain socket (supertest and fetch cannot send a
 * body that lies about its length or stops mid-chunk). `parts` are written in order; with
 * `end: true` the socket is half-closed after them, otherwise it stays open, the rest of the body
 * unsent, until the server answers. Resolves with the first complete answer.
 */
export function rawRequest(
  port: number,
  head: string[],
  parts: Array<string | Buffer>,
  options: { end?: boolean; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 15_000} ms`));
    }, options.timeoutMs ?? 15_000);
    const finish = (answer: RawAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const parse = (): RawAnswer | null => {
      const split = received.indexOf('\r\n\r\n');
      if (split < 0) return null;
      const lines = received.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = Object.fromEntries(
        lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      const body = received.subarray(split + 4);
      const length = Number(headers['content-length'] ?? NaN);
      if (Number.isFinite(length) && body.length < length) return null;
      return { status, headers, body: body.toString('utf8') };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parse();
      if (answer) finish(answer);
    });
    socket.on('error', () => finish(parse() ?? 'closed'));
    socket.on('close', () => finish(parse() ?? 'closed'));
    socket.on('connect', () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      for (const part of parts) socket.write(part);
      if (options.end) socket.end();
    });
  });
}

/** One chunk of a `Transfer-Encoding: chunked` body. */
export const chunk = (data: string | Buffer): Buffer => {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
};
export const LAST_CHUNK = '0\r\n\r\n';
