import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { ContactsQuery } from '../contacts.query';
import type { ContactView } from '../contact-view';
import { checkAttributes, cleanTags, phoneOrThrow, stringify } from './contact-input';
import { ContactMemberships } from './contact-memberships';

export interface CreateContactCommand {
  phone: string;
  defaultCountry?: string;
  name?: string | null;
  attributes?: Record<string, unknown>;
  optedOut?: boolean;
  tags?: string[];
  listIds?: number[];
}

/** Adds one contact; a phone that already belongs to a contact is a conflict (409). */
@Injectable()
export class CreateContact {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly memberships: ContactMemberships,
    private readonly query: ContactsQuery,
  ) {}

  async execute(command: CreateContactCommand): Promise<ContactView> {
    const phone = phoneOrThrow(command.phone, command.defaultCountry);
    if (command.attributes) checkAttributes(command.attributes, false);
    const tags = cleanTags(command.tags ?? []);
    if (command.listIds?.length) await this.memberships.assertListsExist(command.listIds);
    const id = await this.db.transaction(async (tx) => {
      const existing = await tx.query('SELECT id FROM contacts WHERE phone = ?', [phone.e164]);
      if (existing[0]) throw DomainError.conflict(`a contact with phone ${phone.e164} already exists (id ${existing[0].id})`);
      const attributes =
        command.attributes && Object.keys(command.attributes).length ? JSON.stringify(stringify(command.attributes)) : null;
      const result = await tx.query(
        'INSERT INTO contacts (phone, name, country, attributes, opted_out, opted_out_at) VALUES (?, ?, ?, ?, ?, ?)',
        [
          phone.e164,
          command.name?.trim() || null,
          phone.country,
          attributes,
          command.optedOut ? 1 : 0,
          command.optedOut ? new Date() : null,
        ],
      );
      const contactId = Number(result.insertId);
      await this.memberships.replaceTags(tx, contactId, tags);
      await this.memberships.replaceLists(tx, contactId, command.listIds ?? []);
      return contactId;
    });
    return this.query.get(id);
  }
}
