import { Module } from '@nestjs/common';
import { ContactsModule } from '@clarion/contacts';
import { JobLock } from '@clarion/queue';
import { ImportProcessor } from './import.processor';
import { UploadSweepScheduler } from './upload-sweep.scheduler';

/** The worker's share of contact imports: the queue consumer and the sweep of old uploads. */
@Module({
  imports: [ContactsModule],
  providers: [JobLock, ImportProcessor, UploadSweepScheduler],
})
export class ImportsWorkerModule {}
