import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { LaunchBroadcast, LaunchJob } from '@clarion/broadcasts';
import { QueueName } from '@clarion/queue';

/** Consumer of the broadcast-launch queue: delegates to LaunchBroadcast (launch at the scheduled time, fan-out). */
@Processor(QueueName.BroadcastLaunch)
export class LaunchProcessor {
  constructor(private readonly launch: LaunchBroadcast) {}

  @Process({ concurrency: 4 })
  handle(job: Job<LaunchJob>): Promise<void> {
    return this.launch.execute(job.data);
  }
}
