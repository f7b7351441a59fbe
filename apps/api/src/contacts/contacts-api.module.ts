import { Module } from '@nestjs/common';
import { ContactsModule } from '@clarion/contacts';
import { ImportsController } from './imports.controller';

/** HTTP endpoints of contacts, lists and imports. */
@Module({
  imports: [ContactsModule],
  controllers: [ImportsController],
})
export class ContactsApiModule {}
