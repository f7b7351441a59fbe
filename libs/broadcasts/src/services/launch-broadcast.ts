import { Injectable, Logger } from '@nestjs/common';
import { FanOutService } from '../fan-out/fan-out.service';
import { BroadcastsRepository } from '../repositories/broadcasts.repository';
import { DispatchSignal } from '../scheduling/dispatch-signal';
import type { LaunchJob } from '../scheduling/launch-jobs';

/** Runs a launch job: a due scheduled broadcast becomes running, then its recipients are fanned out (dispatch starts on the first chunk). */
@Injectable()
export class LaunchBroadcast {
  private readonly logger = new Logger(LaunchBroadcast.name);

  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly fanOut: FanOutService,
    private readonly signal: DispatchSignal,
  ) {}

  async execute(job: LaunchJob): Promise<void> {
    if (job.kind === 'launch') {
      // A job of an older schedule (rescheduled meanwhile) matches no row and does nothing.
      const started = await this.broadcasts.startIfScheduledAt(job.broadcastId, new Date(job.at));
      const b = await this.broadcasts.findById(job.broadcastId);
      if (!b || !['running', 'paused', 'waiting_quota'].includes(b.status)) return;
      if (started) {
        this.logger.log({ broadcastId: b.id, lateMs: Date.now() - job.at }, 'broadcast launched');
        await this.signal.nudge(b.id);
      }
    }
    await this.fanOut.materialise(job.broadcastId);
  }
}
