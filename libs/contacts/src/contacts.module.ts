import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName } from '@clarion/queue';
import { AudienceReader } from './audience/audience-reader';
import { BulkAttributes } from './contacts/commands/bulk-attributes';
import { BulkContacts } from './contacts/commands/bulk-contacts';
import { ContactMemberships } from './contacts/commands/contact-memberships';
import { CreateContact } from './contacts/commands/create-contact';
import { DeleteContact } from './contacts/commands/delete-contact';
import { UpdateContact } from './contacts/commands/update-contact';
import { ContactsQuery } from './contacts/contacts.query';
import { Contact } from './entities/contact.entity';
import { ContactImport } from './entities/contact-import.entity';
import { ContactList } from './entities/contact-list.entity';
import { ImportQueue } from './imports/import-queue';
import { ImportRunner } from './imports/import-runner';
import { UploadSweep } from './imports/upload-sweep';
import { ImportsService } from './imports/imports.service';
import { ListsService } from './lists/lists.service';
import { OptOutModule } from './opt-out/opt-out.module';

const SERVICES = [
  AudienceReader,
  ListsService,
  ImportQueue,
  ImportsService,
  ImportRunner,
  UploadSweep,
  ContactsQuery,
  ContactMemberships,
  CreateContact,
  UpdateContact,
  DeleteContact,
  BulkAttributes,
  BulkContacts,
];

/** Contacts, lists, tags, audiences and the CSV import pipeline. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Contact, ContactList, ContactImport]),
    BullModule.registerQueue({ name: QueueName.Imports }),
    OptOutModule,
  ],
  providers: SERVICES,
  exports: [...SERVICES, BullModule],
})
export class ContactsModule {}
