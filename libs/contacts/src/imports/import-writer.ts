import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { ImportMode } from '../entities/contact-import.entity';
import type { ImportBatch } from './import-batch';

export interface ImportTarget {
  importId: number;
  mode: ImportMode;
  listId: number | null;
  tags: string[];
}

/**
 * An upsert keeps what the row does not say: an empty name or attribute cell never blanks a
 * stored value; attributes merge key by key.
 */
const UPSERT_CONTACTS = `INSERT INTO contacts (phone, name, country, attributes) VALUES ?
  ON DUPLICATE KEY UPDATE
    name = COALESCE(VALUES(name), name),
    country = COALESCE(VALUES(country), country),
    attributes = CASE WHEN VALUES(attributes) IS NULL THEN attributes
                      WHEN attributes IS NULL THEN VALUES(attributes)
                      ELSE JSON_MERGE_PATCH(attributes, VALUES(attributes)) END`;

/**
 * Writes one import batch in one transaction: contacts (per mode), their links to the
 * import, list and tags, the rejected rows, and the import's counters and checkpoint. A
 * batch commits entirely or not at all, so a resumed import starts after the last checkpoint.
 */
@Injectable()
export class ImportWriter {
  async write(q: QueryRunner, target: ImportTarget, batch: ImportBatch): Promise<void> {
    await q.startTransaction();
    try {
      const rejected = batch.rejected;
      let created = 0;
      let updated = 0;
      let skipped = 0;
      const ids: number[] = [];
      if (batch.drafts.length > 0) {
        const existing = new Map<string, number>();
        const found: Array<{ id: number | string; phone: string }> = await q.query('SELECT id, phone FROM contacts WHERE phone IN (?)', [batch.drafts.map((d) => d.phone)]);
        for (const r of found) existing.set(r.phone, Number(r.id));
        const values: unknown[][] = [];
        const newPhones: string[] = [];
        for (const d of batch.drafts) {
          const id = existing.get(d.phone);
          if (id !== undefined) {
            if (target.mode === 'create') {
              skipped++;
              batch.reject(d.row, `contact ${d.phone} already exists (mode create leaves existing contacts alone)`, d.fields);
              continue;
            }
            updated++;
            ids.push(id);
          } else {
            if (target.mode === 'update') {
              skipped++;
              batch.reject(d.row, `no contact with phone ${d.phone} exists (mode update changes existing contacts only)`, d.fields);
              continue;
            }
            created++;
            newPhones.push(d.phone);
          }
          values.push([d.phone, d.name, d.country, d.attributes]);
        }
        if (values.length > 0) await q.query(UPSERT_CONTACTS, [values]);
        if (newPhones.length > 0) {
          const inserted: Array<{ id: number | string }> = await q.query('SELECT id FROM contacts WHERE phone IN (?)', [newPhones]);
          for (const r of inserted) ids.push(Number(r.id));
        }
        if (ids.length > 0) {
          await q.query('INSERT IGNORE INTO import_contacts (import_id, contact_id) VALUES ?', [ids.map((id) => [target.importId, id])]);
          if (target.listId !== null) {
            await q.query('INSERT IGNORE INTO contact_list_members (list_id, contact_id) VALUES ?', [ids.map((id) => [target.listId, id])]);
          }
          if (target.tags.length > 0) {
            await q.query('INSERT IGNORE INTO contact_tags (contact_id, tag) VALUES ?', [ids.flatMap((id) => target.tags.map((tag) => [id, tag]))]);
          }
        }
      }
      if (rejected.length > 0) {
        await q.query('INSERT IGNORE INTO import_errors (import_id, row_no, reason, raw) VALUES ?', [
          rejected.map((r) => [target.importId, r.row, r.reason.slice(0, 500), r.raw || null]),
        ]);
      }
      await q.query(
        `UPDATE imports SET processed_rows = ?, created = created + ?, updated = updated + ?, duplicates = duplicates + ?,
           invalid = invalid + ?, skipped = skipped + ?, total_rows = GREATEST(total_rows, ?) WHERE id = ?`,
        [batch.lastRow, created, updated, batch.duplicates, batch.invalid, skipped, batch.lastRow, target.importId],
      );
      await q.commitTransaction();
    } catch (error) {
      await q.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }
}
