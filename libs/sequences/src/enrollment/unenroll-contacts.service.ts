import { Injectable } from '@nestjs/common';
import { Audience, AudienceReader } from '@clarion/contacts';
import { EnrollmentsRepository } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';

const READ_CHUNK = 5_000;

/**
 * Ends the active runs of an audience's contacts: they get no further step. A step already
 * handed to dispatch (appended to its broadcast) may still go out.
 */
@Injectable()
export class UnenrollContacts {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly audiences: AudienceReader,
  ) {}

  async unenroll(sequenceId: number, audience: unknown): Promise<{ unenrolled: number }> {
    await this.sequences.get(sequenceId);
    const parsed: Audience = await this.audiences.validate(audience);
    let unenrolled = 0;
    const now = new Date();
    for (let after = 0; ; ) {
      const contacts = await this.audiences.readChunk(parsed, after, READ_CHUNK);
      if (contacts.length === 0) break;
      unenrolled += await this.enrollments.unenrollContacts(
        sequenceId,
        contacts.map((c) => c.id),
        now,
      );
      after = contacts[contacts.length - 1].id;
      if (contacts.length < READ_CHUNK) break;
    }
    return { unenrolled };
  }
}
