import { Module } from '@nestjs/common';
import { BroadcastsModule } from '@clarion/broadcasts';
import { LaunchProcessor } from './launch.processor';

/** The worker side of broadcasts: launch jobs (scheduled starts and fan-out). */
@Module({
  imports: [BroadcastsModule],
  providers: [LaunchProcessor],
})
export class BroadcastsWorkerModule {}
