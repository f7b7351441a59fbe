import { Module } from '@nestjs/common';
import { ContactsModule } from '@clarion/contacts';
import { ImportProcessor } from './import.processor';

/** The worker's share of contact imports: the queue consumer. */
@Module({
  imports: [ContactsModule],
  providers: [ImportProcessor],
})
export class ImportsWorkerModule {}
