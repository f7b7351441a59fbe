import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { CONTACT_CORE_COLUMNS, ContactCoreRow, toContactCore } from '../contacts/contact-view';
import { Audience, AudienceContact, parseAudience } from './audience';

/**
 * Reads the contacts of an audience in id order, a chunk at a time (keyset pagination: every
 * query is an index range scan from `afterContactId`, so the millionth contact costs what the
 * first did). Used by the broadcast engine and sequences to fan out recipients.
 */
@Injectable()
export class AudienceReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Checks the audience's shape and that its list or import exists.
   * Throws DomainError: validation (→ 400) for a malformed audience, not found (→ 404) for
   * an unknown list or import. Returns the normalised audience.
   */
  async validate(audience: unknown): Promise<Audience> {
    const parsed = parseAudience(audience);
    if ('listId' in parsed) {
      const rows = await this.db.query('SELECT id FROM contact_lists WHERE id = ?', [parsed.listId]);
      if (rows.length === 0) throw DomainError.notFound('contact list', parsed.listId);
    } else if ('importId' in parsed) {
      const rows = await this.db.query('SELECT id FROM imports WHERE id = ?', [parsed.importId]);
      if (rows.length === 0) throw DomainError.notFound('import', parsed.importId);
    }
    return parsed;
  }

  /** Up to `limit` contacts with id > `afterContactId`, ascending by id. Opted-out contacts are included (flagged). */
  async readChunk(audience: Audience, afterContactId: number, limit: number): Promise<AudienceContact[]> {
    const a = parseAudience(audience);
    const after = Math.max(0, Math.floor(afterContactId));
    const take = Math.max(1, Math.floor(limit));
    let rows: ContactCoreRow[];
    if ('listId' in a) {
      rows = await this.db.query(
        `SELECT ${CONTACT_CORE_COLUMNS} FROM contact_list_members m JOIN contacts c ON c.id = m.contact_id
         WHERE m.list_id = ? AND m.contact_id > ? ORDER BY m.contact_id LIMIT ?`,
        [a.listId, after, take],
      );
    } else if ('importId' in a) {
      rows = await this.db.query(
        `SELECT ${CONTACT_CORE_COLUMNS} FROM import_contacts i JOIN contacts c ON c.id = i.contact_id
         WHERE i.import_id = ? AND i.contact_id > ? ORDER BY i.contact_id LIMIT ?`,
        [a.importId, after, take],
      );
    } else if ('tags' in a) {
      const ids = await this.taggedIds(a.tags, after, take);
      rows = await this.byIds(ids);
    } else {
      const ids = a.contactIds.filter((id) => id > after).slice(0, take);
      rows = await this.byIds(ids);
    }
    return rows.map(toContactCore);
  }

  /** How many contacts the audience holds (opted-out ones included). */
  async count(audience: Audience): Promise<number> {
    const a = parseAudience(audience);
    let rows: Array<{ n: number | string }>;
    if ('listId' in a) {
      rows = await this.db.query('SELECT COUNT(*) AS n FROM contact_list_members WHERE list_id = ?', [a.listId]);
    } else if ('importId' in a) {
      rows = await this.db.query('SELECT COUNT(*) AS n FROM import_contacts WHERE import_id = ?', [a.importId]);
    } else if ('tags' in a) {
      rows = await this.db.query('SELECT COUNT(DISTINCT contact_id) AS n FROM contact_tags WHERE tag IN (?)', [a.tags]);
    } else {
      rows = await this.db.query('SELECT COUNT(*) AS n FROM contacts WHERE id IN (?)', [a.contactIds]);
    }
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * One index-ordered range read per tag (tag, contact_id), merged here: an `IN (tags)` with
   * ORDER BY contact_id would make MySQL sort every matching row on each chunk.
   */
  private async taggedIds(tags: string[], after: number, limit: number): Promise<number[]> {
    const perTag = await Promise.all(
      tags.map(
        (tag) =>
          this.db.query('SELECT contact_id FROM contact_tags WHERE tag = ? AND contact_id > ? ORDER BY contact_id LIMIT ?', [
            tag,
            after,
            limit,
          ]) as Promise<Array<{ contact_id: number | string }>>,
      ),
    );
    const ids = new Set<number>();
    for (const rows of perTag) for (const r of rows) ids.add(Number(r.contact_id));
    return [...ids].sort((x, y) => x - y).slice(0, limit);
  }

  private async byIds(ids: number[]): Promise<ContactCoreRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`SELECT ${CONTACT_CORE_COLUMNS} FROM contacts c WHERE c.id IN (?) ORDER BY c.id`, [ids]);
  }
}
