import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@clarion/queue';
import { launchTimeOf } from './recipient-local-time';

/** Payload of the broadcast-launch queue. `launch`: start at `at` (ms); `fanout`: (re)materialise recipients. */
export type LaunchJob = { kind: 'launch'; broadcastId: number; at: number } | { kind: 'fanout'; broadcastId: number };

/** What a launch needs of its broadcast: when, and whether recipients' own clocks decide. */
export interface LaunchTiming {
  id: number;
  scheduledAt: Date;
  sendAt: string | null;
  timezone: string | null;
}

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

  /** The job fires at the broadcast's launch time: `scheduledAt`, or earlier for recipient-local time (its fan-out runs ahead). */
  async scheduleLaunch(broadcast: LaunchTiming): Promise<void> {
    const delay = Math.max(0, launchTimeOf(broadcast).getTime() - Date.now());
    await this.queue.add(
      { kind: 'launch', broadcastId: broadcast.id, at: broadcast.scheduledAt.getTime() },
      { ...JOB_OPTIONS, jobId: LaunchJobs.launchJobId(broadcast.id, broadcast.scheduledAt), delay },
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
