import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';

/**
 * Deletes a contact with its tags, list memberships and import links. Broadcast recipients
 * keep their own copy of the phone, so history stays intact.
 */
@Injectable()
export class DeleteContact {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const result = await tx.query('DELETE FROM contacts WHERE id = ?', [id]);
      if (Number(result.affectedRows) === 0) throw DomainError.notFound('contact', id);
      await tx.query('DELETE FROM contact_tags WHERE contact_id = ?', [id]);
      await tx.query('DELETE FROM contact_list_members WHERE contact_id = ?', [id]);
      await tx.query('DELETE FROM import_contacts WHERE contact_id = ?', [id]);
    });
  }
}
