import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AudienceReader } from './audience/audience-reader';
import { Contact } from './entities/contact.entity';
import { ContactImport } from './entities/contact-import.entity';
import { ContactList } from './entities/contact-list.entity';

/** Contacts, lists, tags, audiences and the CSV import pipeline. */
@Module({
  imports: [TypeOrmModule.forFeature([Contact, ContactList, ContactImport])],
  providers: [AudienceReader],
  exports: [AudienceReader],
})
export class ContactsModule {}
