import { Module } from '@nestjs/common';
import { ClaimLeases, DispatchEngine, DispatchModule, DispatchTick, RedisGate } from '@clarion/dispatch';

/** The worker side of dispatch: the send loops, their claim leases and Redis gate, and the recovery tick. */
@Module({
  imports: [DispatchModule],
  providers: [DispatchEngine, DispatchTick, ClaimLeases, RedisGate],
})
export class DispatchWorkerModule {}
