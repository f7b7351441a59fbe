import { Module } from '@nestjs/common';
import { DispatchEngine, DispatchModule, DispatchTick } from '@clarion/dispatch';

/** The worker side of dispatch: the send loops and the recovery tick. */
@Module({
  imports: [DispatchModule],
  providers: [DispatchEngine, DispatchTick],
})
export class DispatchWorkerModule {}
