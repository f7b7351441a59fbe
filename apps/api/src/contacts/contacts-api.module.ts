import { Module } from '@nestjs/common';
import { ContactsModule } from '@clarion/contacts';
import { StatsModule } from '@clarion/stats';
import { ContactMessagesController } from './contact-messages.controller';
import { ContactsController } from './contacts.controller';
import { ImportsController } from './imports.controller';
import { ListsController } from './lists.controller';

/** HTTP endpoints of contacts, lists and imports, and what a contact was sent. */
@Module({
  imports: [ContactsModule, StatsModule],
  controllers: [ContactsController, ContactMessagesController, ListsController, ImportsController],
})
export class ContactsApiModule {}
