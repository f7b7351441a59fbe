import { Module } from '@nestjs/common';
import { StatsModule } from '@clarion/stats';
import { JobLock } from '@clarion/queue';
import { StatsScheduler } from './stats-scheduler';

/** The worker's statistics role: reconciliation and the parked-status sweep. */
@Module({
  imports: [StatsModule],
  providers: [JobLock, StatsScheduler],
})
export class StatsWorkerModule {}
