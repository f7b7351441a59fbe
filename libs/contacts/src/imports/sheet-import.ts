import { createConnection } from 'mysql2/promise';
import type { ParsedBatch } from './import-batch';
import { BatchCounts, ImportTarget, ImportWriter, SqlConnection } from './import-writer';
import { readSheet, SheetReadOptions } from './sheet-reader';

/** One run over one sheet: plain data, so it can cross into a worker thread. */
export interface SheetImportJob {
  databaseUrl: string;
  read: SheetReadOptions;
  target: ImportTarget;
}

export type SheetImportOutcome = { kind: 'done'; rows: number } | { kind: 'unusable'; reason: string } | { kind: 'stopped' };

class StopRequested extends Error {}

/**
 * Reads, validates and writes a sheet on its own database connection: one batch is written
 * while the next is parsed. `shouldStop` is asked after each batch has been handed to the
 * writer; a stop leaves every handed batch committed (the checkpoint). `committed` hears of
 * each batch once it is committed.
 */
export async function importSheet(
  job: SheetImportJob,
  shouldStop: () => boolean,
  committed: (counts: BatchCounts) => void = () => undefined,
): Promise<SheetImportOutcome> {
  const db = await connect(job.databaseUrl);
  const writer = new ImportWriter(db as unknown as SqlConnection);
  let inflight: Promise<void> = Promise.resolve();
  try {
    await writer.prepare();
    const take = async (batch: ParsedBatch) => {
      await inflight;
      inflight = writer.write(job.target, batch).then(committed);
      inflight.catch(() => undefined); // awaited by the next take or below
      if (shouldStop()) throw new StopRequested();
    };
    try {
      const result = await readSheet(job.read, take);
      await inflight;
      return result;
    } catch (error) {
      if (!(error instanceof StopRequested)) throw error;
      await inflight;
      return { kind: 'stopped' };
    }
  } finally {
    await inflight.catch(() => undefined);
    await writer.release().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}

/** Same session settings as the application's pool (libs/database): UTC, utf8mb4, numbers for ids. */
function connect(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password || ''),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
}
