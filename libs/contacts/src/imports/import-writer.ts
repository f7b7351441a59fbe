import { Readable } from 'node:stream';
import type { ImportMode } from '../entities/contact-import.entity';
import type { ParsedBatch, RejectedRow } from './import-batch';

/** What one committed batch did to its rows (the import's counters grew by as much). */
export interface BatchCounts {
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
  /** Left out by the mode: existing contacts under `create`, unknown ones under `update`. */
  skipped: number;
}

export interface ImportTarget {
  importId: number;
  mode: ImportMode;
  listId: number | null;
  tags: string[];
}

/** The slice of a mysql2 promise connection the writer uses (one connection per import run). */
export interface SqlConnection {
  query(
    sql: string | { sql: string; values?: unknown[]; infileStreamFactory?: () => Readable },
    values?: unknown[],
  ): Promise<[unknown, unknown]>;
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * The batch's rows, staged on this connection only (a temporary table: no other session sees
 * it, no redo log). Same collation as contacts so joins on phone use contacts' unique index.
 */
const CREATE_STAGING = `CREATE TEMPORARY TABLE IF NOT EXISTS import_rows (
  row_no INT UNSIGNED NOT NULL PRIMARY KEY,
  phone VARCHAR(20) NOT NULL,
  name VARCHAR(255) NULL,
  country CHAR(2) NULL,
  attributes LONGTEXT NULL,
  contact_id BIGINT UNSIGNED NULL
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

const LOAD_STAGING = `LOAD DATA LOCAL INFILE 'import-batch.tsv' INTO TABLE import_rows CHARACTER SET utf8mb4
  FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (row_no, phone, name, country, attributes)`;

/**
 * An upsert keeps what the row does not say: an empty name or attribute cell never blanks a
 * stored value; attributes merge key by key.
 */
const UPSERT_ALL = `INSERT INTO contacts (phone, name, country, attributes)
  SELECT s.phone, s.name, s.country, s.attributes FROM import_rows s ORDER BY s.row_no
  ON DUPLICATE KEY UPDATE
    updated_at = CURRENT_TIMESTAMP(3),
    name = COALESCE(VALUES(name), contacts.name),
    country = COALESCE(VALUES(country), contacts.country),
    attributes = CASE WHEN VALUES(attributes) IS NULL THEN contacts.attributes
                      WHEN contacts.attributes IS NULL THEN VALUES(attributes)
                      ELSE JSON_MERGE_PATCH(contacts.attributes, VALUES(attributes)) END`;

const UPDATE_EXISTING = `UPDATE contacts c JOIN import_rows s ON s.contact_id = c.id SET
  c.name = COALESCE(s.name, c.name),
  c.country = COALESCE(s.country, c.country),
  c.attributes = CASE WHEN s.attributes IS NULL THEN c.attributes
                      WHEN c.attributes IS NULL THEN s.attributes
                      ELSE JSON_MERGE_PATCH(c.attributes, s.attributes) END`;

const LINK_IDS = 'UPDATE import_rows s JOIN contacts c ON c.phone = s.phone SET s.contact_id = c.id WHERE s.contact_id IS NULL';

/**
 * Writes one import batch in one transaction: the valid rows are bulk-loaded (LOAD DATA LOCAL
 * INFILE, from memory) into a per-connection staging table, then merged into contacts and
 * linked to the import, list and tags with set-based statements; with the rejected rows and
 * the import's counters and checkpoint. A batch commits entirely or not at all, so a resumed
 * import starts after the last checkpoint.
 */
export class ImportWriter {
  constructor(private readonly db: SqlConnection) {}

  /** Set by prepare(): a multi-row INSERT…SELECT gets consecutive ids (see newIdRange). */
  private consecutiveIds = false;
  /** Aria truncates in no time; truncating an InnoDB temporary table rebuilds it (~70 ms a batch). */
  private emptyStaging = 'DELETE FROM import_rows';

  /** Once per run, on the run's connection. */

  async prepare(): Promise<void> {
    const [settings] = await this.run<Array<{ lockMode: number | string; increment: number | string }>>(
      'SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS increment',
    );
    this.consecutiveIds = Number(settings.lockMode) <= 1 && Number(settings.increment) === 1;
    // MariaDB's Aria engine without transactions: emptying and updating staging rows costs
    // little (InnoDB keeps undo for them). MySQL has no Aria: InnoDB there.
    try {
      await this.run(`${CREATE_STAGING} ENGINE=Aria TRANSACTIONAL=0`);
      this.emptyStaging = 'TRUNCATE TABLE import_rows';
    } catch {
      await this.run(`${CREATE_STAGING} ENGINE=InnoDB`);
    }
  }

  async release(): Promise<void> {
    await this.run('DROP TEMPORARY TABLE IF EXISTS import_rows');
  }

  /** Commits the batch; resolves with what it did once committed. */
  async write(target: ImportTarget, batch: ParsedBatch): Promise<BatchCounts> {
    let created = 0;
    let updated = 0;
    let skipped = 0;
    let newRange: [number, number] | null = null;
    // scratch space of this connection only: emptied before the batch's transaction begins,
    // since TRUNCATE may end an open transaction
    await this.run(this.emptyStaging);
    await this.db.beginTransaction();
    try {
      const rejected: RejectedRow[] = [...batch.rejected];
      if (batch.drafts > 0) {
        const tsv = batch.tsv;
        await this.db.query({
          sql: LOAD_STAGING,
          infileStreamFactory: () => Readable.from([Buffer.from(tsv.buffer, tsv.byteOffset, tsv.byteLength)]),
        });
        if (target.mode === 'upsert') {
          // One pass: with CLIENT_FOUND_ROWS (mysql2's default) each inserted row counts 1 and
          // each updated row 2 (updated_at always changes, so an unchanged row still counts 2).
          const result = await this.run<{ affectedRows: number; insertId: number }>(UPSERT_ALL);
          updated = Number(result.affectedRows) - batch.drafts;
          created = batch.drafts - updated;
          if (updated === 0) newRange = await this.newIdRange(Number(result.insertId), created);
        } else {
          await this.run('UPDATE import_rows s JOIN contacts c ON c.phone = s.phone SET s.contact_id = c.id');
          if (target.mode === 'create') {
            const existing = await this.skipRows(
              batch,
              rejected,
              'contact_id IS NOT NULL',
              (phone) => `contact ${phone} already exists (mode create leaves existing contacts alone)`,
            );
            skipped += existing;
            created = batch.drafts - existing;
            if (created > 0) await this.run(UPSERT_ALL);
          } else {
            const missing = await this.skipRows(
              batch,
              rejected,
              'contact_id IS NULL',
              (phone) => `no contact with phone ${phone} exists (mode update changes existing contacts only)`,
            );
            skipped += missing;
            updated = batch.drafts - missing;
            if (updated > 0) await this.run(UPDATE_EXISTING);
          }
        }
        if (newRange) {
          // every row was new and their ids are one range: link by primary-key range, no phone lookups
          await this.run('INSERT IGNORE INTO import_contacts (import_id, contact_id) SELECT ?, id FROM contacts WHERE id BETWEEN ? AND ?', [
            target.importId,
            ...newRange,
          ]);
          if (target.listId !== null) {
            await this.run(
              'INSERT IGNORE INTO contact_list_members (list_id, contact_id) SELECT ?, id FROM contacts WHERE id BETWEEN ? AND ?',
              [target.listId, ...newRange],
            );
          }
          for (const tag of target.tags) {
            await this.run('INSERT IGNORE INTO contact_tags (contact_id, tag) SELECT id, ? FROM contacts WHERE id BETWEEN ? AND ?', [
              tag,
              ...newRange,
            ]);
          }
        } else if (target.mode === 'upsert' && target.listId === null && target.tags.length === 0) {
          // only the import link needed: one join, no staging update
          await this.run(
            'INSERT IGNORE INTO import_contacts (import_id, contact_id) SELECT ?, c.id FROM import_rows s JOIN contacts c ON c.phone = s.phone',
            [target.importId],
          );
        } else {
          if (created > 0 || target.mode === 'upsert') await this.run(LINK_IDS);
          if (created + updated > 0) {
            await this.run('INSERT IGNORE INTO import_contacts (import_id, contact_id) SELECT ?, contact_id FROM import_rows', [
              target.importId,
            ]);
            if (target.listId !== null) {
              await this.run('INSERT IGNORE INTO contact_list_members (list_id, contact_id) SELECT ?, contact_id FROM import_rows', [
                target.listId,
              ]);
            }
            for (const tag of target.tags) {
              await this.run('INSERT IGNORE INTO contact_tags (contact_id, tag) SELECT contact_id, ? FROM import_rows', [tag]);
            }
          }
        }
      }
      if (rejected.length > 0) {
        await this.run('INSERT IGNORE INTO import_errors (import_id, row_no, reason, raw) VALUES ?', [
          rejected.map((r) => [target.importId, r.row, r.reason.slice(0, 500), r.raw || null]),
        ]);
      }
      await this.run(
        `UPDATE imports SET processed_rows = ?, created = created + ?, updated = updated + ?, duplicates = duplicates + ?,
           invalid = invalid + ?, skipped = skipped + ?, total_rows = GREATEST(total_rows, ?) WHERE id = ?`,
        [batch.lastRow, created, updated, batch.duplicates, batch.invalid, skipped, batch.lastRow, target.importId],
      );
      await this.db.commit();
      return { created, updated, duplicates: batch.duplicates, invalid: batch.invalid, skipped };
    } catch (error) {
      await this.db.rollback().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The ids a multi-row insert of only new rows got: with innodb_autoinc_lock_mode 0 or 1
   * (MariaDB's default; MySQL 8 defaults to 2) an INSERT…SELECT holds the table's
   * auto-increment lock for the whole statement, so its ids are consecutive from the first.
   * Counted to be sure; null (link by phone instead) when that cannot be relied on.
   */
  private async newIdRange(first: number, count: number): Promise<[number, number] | null> {
    if (!this.consecutiveIds || count === 0 || !(first > 0)) return null;
    const range: [number, number] = [first, first + count - 1];
    const [{ n }] = await this.run<Array<{ n: number | string }>>('SELECT COUNT(*) AS n FROM contacts WHERE id BETWEEN ? AND ?', range);
    return Number(n) === count ? range : null;
  }

  private async run<T = unknown>(sql: string, values?: unknown[]): Promise<T> {
    const [result] = await this.db.query(sql, values);
    return result as T;
  }

  /** Moves rows the mode leaves out from staging to the batch's rejected rows; returns how many. */
  private async skipRows(
    batch: ParsedBatch,
    rejected: RejectedRow[],
    condition: string,
    reason: (phone: string) => string,
  ): Promise<number> {
    const rows: Array<{ row_no: number }> = await this.run(`SELECT row_no FROM import_rows WHERE ${condition}`);
    if (rows.length === 0) return 0;
    const byRow = new Map((batch.details ?? []).map((d) => [d.row, d]));
    for (const { row_no } of rows) {
      const detail = byRow.get(row_no);
      rejected.push({ row: row_no, reason: reason(detail?.phone ?? '?'), raw: detail?.raw ?? '' });
    }
    await this.run(`DELETE FROM import_rows WHERE ${condition}`);
    return rows.length;
  }
}
