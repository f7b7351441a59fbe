import { Injectable } from '@nestjs/common';
import { StepBroadcasts } from '../ports/step-broadcasts.port';
import { EnrollmentsRepository } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';

/**
 * Deletes a sequence: everyone is unenrolled and its step broadcasts are cancelled (nothing more
 * goes out). The rows stay for the history of what was sent; the sequence is no longer found.
 */
@Injectable()
export class DeleteSequence {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly broadcasts: StepBroadcasts,
  ) {}

  async execute(id: number): Promise<{ unenrolled: number }> {
    await this.sequences.get(id);
    const now = new Date();
    await this.sequences.update(id, { status: 'deleted', deletedAt: now });
    const steps = await this.sequences.stepsOf(id);
    await this.broadcasts.cancel(steps.map((s) => s.broadcastId).filter((b): b is number => b !== null));
    return { unenrolled: await this.enrollments.unenrollAll(id, 'sequence_deleted', now) };
  }
}
