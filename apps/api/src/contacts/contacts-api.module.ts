import { Module } from '@nestjs/common';
import { ContactsModule } from '@clarion/contacts';
import { ContactsController } from './contacts.controller';
import { ImportsController } from './imports.controller';
import { ListsController } from './lists.controller';

/** HTTP endpoints of contacts, lists and imports. */
@Module({
  imports: [ContactsModule],
  controllers: [ContactsController, ListsController, ImportsController],
})
export class ContactsApiModule {}
