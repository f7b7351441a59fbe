import type { Writable } from 'node:stream';

/**
 * Writes `chunk` and, when `out`'s buffer is full, waits until it drains or closes. Resolves
 * false once `out` is gone (a client that hung up never emits 'drain': waiting for it alone
 * kept exports suspended forever), so the caller stops reading its source.
 */
export async function writeOrStop(out: Writable, chunk: string | Buffer): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return false;
  if (!out.write(chunk)) await drainedOrClosed(out);
  return !out.destroyed;
}

/** Resolves when `out` drains or closes (a client that went away), without leaking listeners. */
export function drainedOrClosed(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
