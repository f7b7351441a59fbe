import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@clarion/queue';

/** Payload of the broadcast-launch queue. `launch`: start at `at` (ms); `fanout`: (re)materialise recipients. */
export type LaunchJob = { kind: 'launch'; broadcastId: number; at: number } | { kind: 'fanout'; broadcastId: number };

const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } };

/**
 * Producer of launch jobs: a scheduled broadcast is a delayed job in Redis whose id holds the
 * time, so re-creating it (recovery tick) is a no-op and a reschedule is a new id.
 */
@Injectable()
export class LaunchJobs {
  constructor(@InjectQueue(QueueName.BroadcastLaunch) private readonly queue: Queue<LaunchJob>) {}

  static launchJobId(broadcastId: number, at: Date): string {
    return `launch:${broadcastId}:${at.getTime()}`;
  }

  /** `startAt`: when the job fires, if earlier than the schedule (recipient-local time fans out ahead of `at`). */
  async scheduleLaunch(broadcastId: number, at: Date, startAt: Date = at): Promise<void> {
    const delay = Math.max(0, startAt.getTime() - Date.now());
    await this.queue.add(
      { kind: 'launch', broadcastId, at: at.getTime() },
      { ...JOB_OPTIONS, jobId: LaunchJobs.launchJobId(broadcastId, at), delay },
    );
  }

  async cancelLaunch(broadcastId: number, at: Date | null): Promise<void> {
    if (!at) return;
    const job = await this.queue.getJob(LaunchJobs.launchJobId(broadcastId, at));
    await job?.remove().catch(() => undefined);
  }

  async scheduleFanOut(broadcastId: number): Promise<void> {
    await this.queue.add({ kind: 'fanout', broadcastId }, { ...JOB_OPTIONS, jobId: `fanout:${broadcastId}` });
  }
}
