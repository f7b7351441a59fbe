import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { OptOutService } from '../../opt-out/opt-out.service';
import { ContactsQuery } from '../contacts.query';
import type { ContactView } from '../contact-view';
import { checkAttributes, checkMergedCount, cleanTags, phoneOrThrow, stringify } from './contact-input';
import { ContactMemberships } from './contact-memberships';

export interface UpdateContactCommand {
  phone?: string;
  defaultCountry?: string;
  name?: string | null;
  /** Merged key by key (JSON merge patch): a null value removes that attribute. */
  attributes?: Record<string, unknown>;
  optedOut?: boolean;
  /** Replaces the contact's tags. */
  tags?: string[];
  /** Replaces the contact's list memberships. */
  listIds?: number[];
}

/** Changes one contact; fields left out stay as they are. Opting out keeps the first opt-out time. */
@Injectable()
export class UpdateContact {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly memberships: ContactMemberships,
    private readonly optOut: OptOutService,
    private readonly query: ContactsQuery,
  ) {}

  async execute(id: number, command: UpdateContactCommand): Promise<ContactView> {
    const current = await this.query.get(id);
    const phone =
      command.phone !== undefined ? phoneOrThrow(command.phone, command.defaultCountry ?? current.country ?? undefined) : undefined;
    if (command.attributes) {
      checkAttributes(command.attributes, true);
      checkMergedCount(current.attributes, command.attributes);
    }
    const tags = command.tags ? cleanTags(command.tags) : undefined;
    if (command.listIds?.length) await this.memberships.assertListsExist(command.listIds);

    await this.db.transaction(async (tx) => {
      const sets: string[] = [];
      const params: unknown[] = [];
      if (phone && phone.e164 !== current.phone) {
        const taken = await tx.query('SELECT id FROM contacts WHERE phone = ? AND id <> ?', [phone.e164, id]);
        if (taken[0]) throw DomainError.conflict(`another contact (id ${taken[0].id}) already has phone ${phone.e164}`);
        sets.push('phone = ?', 'country = ?');
        params.push(phone.e164, phone.country);
      }
      if (command.name !== undefined) {
        sets.push('name = ?');
        params.push(command.name?.trim() || null);
      }
      if (command.attributes && Object.keys(command.attributes).length) {
        sets.push("attributes = JSON_MERGE_PATCH(COALESCE(attributes, '{}'), ?)");
        params.push(JSON.stringify(stringify(command.attributes)));
      }
      if (sets.length) await tx.query(`UPDATE contacts SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
      if (tags) await this.memberships.replaceTags(tx, id, tags);
      if (command.listIds) await this.memberships.replaceLists(tx, id, command.listIds);
    });
    if (command.optedOut !== undefined && command.optedOut !== current.optedOut) {
      const e164 = phone?.e164 ?? current.phone;
      await (command.optedOut ? this.optOut.optOut(e164) : this.optOut.optIn(e164));
    }
    return this.query.get(id);
  }
}
