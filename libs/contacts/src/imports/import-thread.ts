import { parentPort, workerData } from 'node:worker_threads';
import type { BatchCounts } from './import-writer';
import { importSheet, SheetImportJob, SheetImportOutcome } from './sheet-import';

/** Messages from the import thread to the runner. */
export type ImportThreadMessage =
  { type: 'committed'; counts: BatchCounts } | { type: 'outcome'; outcome: SheetImportOutcome } | { type: 'error'; message: string };

/**
 * Worker-thread entry of an import run. The runner posts 'stop' to end it at the next batch
 * boundary (graceful shutdown).
 */
if (parentPort) {
  const port = parentPort;
  let stop = false;
  port.on('message', (message: unknown) => {
    if (message === 'stop') stop = true;
  });
  // listening must not keep the thread alive: it ends when the import's own work is done
  port.unref();
  importSheet(
    workerData as SheetImportJob,
    () => stop,
    (counts) => port.postMessage({ type: 'committed', counts } satisfies ImportThreadMessage),
  ).then(
    (outcome) => port.postMessage({ type: 'outcome', outcome } satisfies ImportThreadMessage),
    (error: Error) => port.postMessage({ type: 'error', message: error.message } satisfies ImportThreadMessage),
  );
}
