import { Injectable, Logger } from '@nestjs/common';
import { BroadcastsRepository } from '../repositories/broadcasts.repository';
import { DispatchSignal } from '../scheduling/dispatch-signal';

/**
 * Pauses the running broadcasts of a template Meta has paused or disabled, with Meta's reason:
 * every further send would fail with 132015/132016. They resume by hand once it is APPROVED again.
 */
@Injectable()
export class PauseTemplateBroadcasts {
  private readonly logger = new Logger(PauseTemplateBroadcasts.name);

  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly signal: DispatchSignal,
  ) {}

  async execute(templateId: number, reason: string): Promise<number[]> {
    const paused = await this.broadcasts.pauseAllOfTemplate(templateId, reason);
    for (const id of paused) await this.signal.nudge(id);
    if (paused.length > 0) this.logger.warn({ templateId, broadcasts: paused }, reason);
    return paused;
  }
}
