import { Module } from '@nestjs/common';
import { SequencesModule } from '@clarion/sequences';
import { SequencesController } from './sequences.controller';

/** HTTP endpoints of drip sequences. */
@Module({
  imports: [SequencesModule],
  controllers: [SequencesController],
})
export class SequencesApiModule {}
