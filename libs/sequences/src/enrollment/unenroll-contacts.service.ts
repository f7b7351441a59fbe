import { Injectable } from '@nestjs/common';
import { Audience, AudienceReader } from '@clarion/contacts';
import { EnrollmentsRepository } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';
import { StepBroadcasts } from '../ports/step-broadcasts.port';

const READ_CHUNK = 5_000;

/**
 * Ends the active runs of an audience's contacts: they get no further step, and a step already
 * handed to dispatch but not yet claimed by it is taken back (skipped as `unenrolled`). Only a
 * message already in flight may still go out.
 */
@Injectable()
export class UnenrollContacts {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly audiences: AudienceReader,
    private readonly stepBroadcasts: StepBroadcasts,
  ) {}

  async unenroll(sequenceId: number, audience: unknown): Promise<{ unenrolled: number; withdrawn: number }> {
    await this.sequences.get(sequenceId);
    const parsed: Audience = await this.audiences.validate(audience);
    const stepBroadcastIds = (await this.sequences.stepsOf(sequenceId)).map((s) => s.broadcastId).filter((id): id is number => id !== null);
    let unenrolled = 0;
    let withdrawn = 0;
    const now = new Date();
    for (let after = 0; ;) {
      const contacts = await this.audiences.readChunk(parsed, after, READ_CHUNK);
      if (contacts.length === 0) break;
      const contactIds = contacts.map((c) => c.id);
      unenrolled += await this.enrollments.unenrollContacts(sequenceId, contactIds, now);
      withdrawn += await this.stepBroadcasts.withdraw(stepBroadcastIds, await this.enrollments.runIdsOf(sequenceId, contactIds));
      after = contacts[contacts.length - 1].id;
      if (contacts.length < READ_CHUNK) break;
    }
    return { unenrolled, withdrawn };
  }
}
