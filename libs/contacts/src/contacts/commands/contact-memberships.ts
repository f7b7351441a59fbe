import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@clarion/common';

/** A contact's tags and list memberships, replaced as a whole by create and update. */
@Injectable()
export class ContactMemberships {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async assertListsExist(listIds: number[]): Promise<void> {
    const unique = [...new Set(listIds)];
    const found: Array<{ id: number }> = await this.db.query('SELECT id FROM contact_lists WHERE id IN (?)', [unique]);
    const missing = unique.filter((id) => !found.some((f) => Number(f.id) === id));
    if (missing.length) throw DomainError.notFound('contact list', missing.join(', '));
  }

  async replaceTags(tx: EntityManager, contactId: number, tags: string[]): Promise<void> {
    await tx.query('DELETE FROM contact_tags WHERE contact_id = ?', [contactId]);
    if (tags.length) await tx.query('INSERT INTO contact_tags (contact_id, tag) VALUES ?', [tags.map((t) => [contactId, t])]);
  }

  async replaceLists(tx: EntityManager, contactId: number, listIds: number[]): Promise<void> {
    await tx.query('DELETE FROM contact_list_members WHERE contact_id = ?', [contactId]);
    const unique = [...new Set(listIds)];
    if (unique.length)
      await tx.query('INSERT INTO contact_list_members (list_id, contact_id) VALUES ?', [unique.map((l) => [l, contactId])]);
  }
}
