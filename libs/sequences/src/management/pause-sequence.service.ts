import { Injectable } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { StepBroadcasts } from '../ports/step-broadcasts.port';
import { SequencesRepository } from '../repositories/sequences.repository';
import { SequenceQueries, SequenceView } from './sequence-queries.service';

/**
 * Pause holds a sequence: the tick skips it (runs stay due) and its step broadcasts are paused,
 * so recipients already handed to dispatch but not yet sent wait too. Resume releases both;
 * steps that fell due meanwhile go out at once (inside the window).
 */
@Injectable()
export class PauseSequence {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly broadcasts: StepBroadcasts,
    private readonly queries: SequenceQueries,
  ) {}

  async pause(id: number): Promise<SequenceView> {
    const sequence = await this.sequences.get(id);
    if (sequence.status === 'paused') throw DomainError.invalidState(`sequence ${id} is already paused`);
    await this.sequences.update(id, { status: 'paused' });
    await this.broadcasts.pause(await this.stepBroadcasts(id));
    return this.queries.get(id);
  }

  /**
   * Also resumes step broadcasts that dispatch paused on its own (e.g. after a sender's auth error,
   * once the sender is fixed), so a sequence that is not paused may still be resumed if one is.
   */
  async resume(id: number): Promise<SequenceView> {
    const sequence = await this.sequences.get(id);
    const ids = await this.stepBroadcasts(id);
    const paused = [...(await this.broadcasts.describe(ids))].filter(([, s]) => s.status === 'paused').map(([b]) => b);
    if (sequence.status === 'active' && paused.length === 0) throw DomainError.invalidState(`sequence ${id} is not paused`);
    await this.broadcasts.resume(paused);
    await this.sequences.update(id, { status: 'active' });
    return this.queries.get(id);
  }

  private async stepBroadcasts(id: number): Promise<number[]> {
    return (await this.sequences.stepsOf(id)).map((s) => s.broadcastId).filter((b): b is number => b !== null);
  }
}
