import type { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * Runs `work` in one transaction, retrying a few times when InnoDB picks it as a deadlock
 * victim: concurrent webhook batches lock overlapping recipient and counter rows.
 */
export async function inTransaction<T>(db: DataSource, work: (em: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

/** `(?, ?, …)` for n values. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(',');
}

/** UTC minute of a date, as MySQL DATETIME text. */
export function minuteOf(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ') + ':00';
}
