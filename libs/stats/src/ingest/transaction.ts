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

/**
 * Figures summed per key (a broadcast and a minute, a broadcast and a country), then added to a
 * counters table in one `INSERT … ON DUPLICATE KEY UPDATE col = col + VALUES(col)`, rows in key
 * order so concurrent batches lock them in the same order. Rows whose figures are all 0 are left out.
 */
export class KeyedCounters<F extends string> {
  private readonly rows = new Map<string, { key: Array<string | number>; sums: Record<F, number> }>();

  constructor(
    private readonly table: string,
    private readonly keyColumns: readonly string[],
    private readonly figures: readonly F[],
    /** Figures written with 6 decimals (money). */
    private readonly decimals: readonly F[] = [],
  ) {}

  add(key: Array<string | number>, figure: F, n: number): void {
    const id = key.join('|');
    let row = this.rows.get(id);
    if (!row) {
      row = { key, sums: Object.fromEntries(this.figures.map((f) => [f, 0])) as Record<F, number> };
      this.rows.set(id, row);
    }
    row.sums[figure] += n;
  }

  async write(em: EntityManager): Promise<void> {
    const rows = [...this.rows.entries()]
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([, row]) => row)
      .filter((row) => this.figures.some((f) => row.sums[f] !== 0));
    if (rows.length === 0) return;
    const q = (column: string) => `\`${column}\``;
    const columns = [...this.keyColumns, ...this.figures].map(q).join(', ');
    const row = `(${placeholders(this.keyColumns.length + this.figures.length)})`;
    await em.query(
      `INSERT INTO ${this.table} (${columns}) VALUES ${rows.map(() => row).join(',')}
       ON DUPLICATE KEY UPDATE ${this.figures.map((f) => `${q(f)} = ${q(f)} + VALUES(${q(f)})`).join(', ')}`,
      rows.flatMap((r) => [...r.key, ...this.figures.map((f) => (this.decimals.includes(f) ? r.sums[f].toFixed(6) : r.sums[f]))]),
    );
  }
}
