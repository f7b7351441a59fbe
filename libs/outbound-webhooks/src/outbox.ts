import type { DataSource, EntityManager } from 'typeorm';
import { chunk } from '@clarion/common';
import { OutboundEvent, OutboundEvents } from './events';

/** The pool, a transaction's manager or a query runner: anything with `query`. */
export type Queryable = Pick<EntityManager, 'query'>;

/** Rows per INSERT (4 placeholders each): many recipient.failed events of one batch go in few statements. */
const OUTBOX_CHUNK = 1_000;

/**
 * Writes events to the outbox with the caller's connection: pass the transaction's manager, so an
 * event exists exactly when its state change committed. Never does I/O beyond the INSERT: the
 * relay in the worker sends them, so a state change never waits on a receiver.
 */
export async function writeOutbox(q: Queryable, events: readonly OutboundEvent[]): Promise<void> {
  for (const part of chunk(events, OUTBOX_CHUNK)) {
    await q.query(
      `INSERT INTO webhook_outbox (event_id, type, data, occurred_at) VALUES ${part.map(() => '(?,?,?,?)').join(',')}`,
      part.flatMap((e) => [e.id, e.type, JSON.stringify(e.data), e.occurredAt]),
    );
  }
}

/**
 * Runs a state change that was a lone statement in a transaction with its events: `eventsOf`
 * sees the change's result (e.g. how many rows it moved) and returns what to announce, usually
 * nothing when the change did not happen.
 */
export function withOutbox<T>(
  db: DataSource,
  change: (m: EntityManager) => Promise<T>,
  eventsOf: (result: T, m: EntityManager) => OutboundEvent[] | Promise<OutboundEvent[]>,
): Promise<T> {
  return db.transaction(async (m) => {
    const result = await change(m);
    const events = await eventsOf(result, m);
    if (events.length > 0) await writeOutbox(m, events);
    return result;
  });
}

/** import.completed (status completed or failed) with the import's final counts, read in the finishing transaction. */
export async function importCompletedEvent(q: Queryable, importId: number): Promise<OutboundEvent[]> {
  const [row] = await q.query(
    'SELECT status, total_rows, created, updated, duplicates, invalid, failure_reason FROM imports WHERE id = ?',
    [importId],
  );
  if (!row) return [];
  return [
    OutboundEvents.importCompleted({
      importId,
      status: row.status,
      totalRows: Number(row.total_rows),
      created: Number(row.created),
      updated: Number(row.updated),
      duplicates: Number(row.duplicates),
      invalid: Number(row.invalid),
      failureReason: row.failure_reason ?? null,
    }),
  ];
}
