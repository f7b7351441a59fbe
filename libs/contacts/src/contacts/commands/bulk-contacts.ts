import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { ContactFilter, filterSql } from '../contact-filter';

export type BulkContactAction =
  { action: 'tag'; tags: string[] } | { action: 'untag'; tags: string[] } | { action: 'addToList'; listId: number } | { action: 'delete' };

export type BulkContactsCommand = BulkContactAction & { filter: ContactFilter };

/** Id ranges per statement: keeps each transaction short on a million contacts (as BulkAttributes). */
const RANGE = 10_000;

/**
 * Tags, untags, adds to a list or deletes every contact a filter (or an id selection) matches;
 * returns how many matched. Works in id ranges, so a filter over a million contacts never holds
 * one long transaction; deleting removes tags, memberships and import links as DeleteContact does.
 */
@Injectable()
export class BulkContacts {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(command: BulkContactsCommand): Promise<{ matched: number }> {
    if (command.action === 'addToList') await this.requireList(command.listId);
    const condition = filterSql(command.filter);
    const [bounds]: Array<{ lo: number | null; hi: number | null }> = await this.db.query(
      `SELECT MIN(c.id) AS lo, MAX(c.id) AS hi FROM contacts c WHERE ${condition.where}`,
      condition.params,
    );
    if (bounds.lo === null || bounds.hi === null) return { matched: 0 };
    let matched = 0;
    for (let from = Number(bounds.lo); from <= Number(bounds.hi); from += RANGE) {
      await this.db.transaction(async (tx) => {
        const rows: Array<{ id: string }> = await tx.query(
          `SELECT c.id FROM contacts c WHERE c.id >= ? AND c.id < ? AND ${condition.where} FOR UPDATE`,
          [from, from + RANGE, ...condition.params],
        );
        const ids = rows.map((r) => Number(r.id));
        if (ids.length === 0) return;
        matched += ids.length;
        await this.apply(tx.query.bind(tx), command, ids);
      });
    }
    return { matched };
  }

  private async apply(query: (sql: string, params: unknown[]) => Promise<unknown>, command: BulkContactAction, ids: number[]) {
    switch (command.action) {
      case 'tag':
        await query('INSERT IGNORE INTO contact_tags (contact_id, tag) VALUES ?', [ids.flatMap((id) => command.tags.map((t) => [id, t]))]);
        return;
      case 'untag':
        await query('DELETE FROM contact_tags WHERE contact_id IN (?) AND tag IN (?)', [ids, command.tags]);
        return;
      case 'addToList':
        await query('INSERT IGNORE INTO contact_list_members (list_id, contact_id) VALUES ?', [ids.map((id) => [command.listId, id])]);
        return;
      case 'delete':
        await query('DELETE FROM contact_tags WHERE contact_id IN (?)', [ids]);
        await query('DELETE FROM contact_list_members WHERE contact_id IN (?)', [ids]);
        await query('DELETE FROM import_contacts WHERE contact_id IN (?)', [ids]);
        await query('DELETE FROM contacts WHERE id IN (?)', [ids]);
        return;
    }
  }

  private async requireList(listId: number): Promise<void> {
    const found = await this.db.query('SELECT 1 FROM contact_lists WHERE id = ?', [listId]);
    if (found.length === 0) throw DomainError.notFound('list', listId);
  }
}
