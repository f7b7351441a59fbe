import { Module } from '@nestjs/common';
import { SequencesModule } from '@clarion/sequences';
import { SequenceTickScheduler } from './sequence-tick.scheduler';

/** The sequences tick (the worker's only sequence job: sending goes through dispatch). */
@Module({
  imports: [SequencesModule],
  providers: [SequenceTickScheduler],
})
export class SequencesWorkerModule {}
