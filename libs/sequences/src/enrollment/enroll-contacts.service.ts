import { Injectable } from '@nestjs/common';
import { Audience, AudienceContact, AudienceReader, zoneOfContact } from '@clarion/contacts';
import { DomainError } from '@clarion/common';
import type { ReenrollmentPolicy, Sequence } from '../entities/sequence.entity';
import type { SequenceStep } from '../entities/sequence-step.entity';
import { EnrollmentsRepository, NewEnrollment } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';
import { dueAt } from '../schedule/due-time';

export interface EnrollResult {
  /** Runs started by this call (new contacts, restarts, and contacts unenrolled before). */
  enrolled: number;
  /** Contacts already in the sequence (running or finished) left alone under the `ignore` policy. */
  alreadyEnrolled: number;
  /** Active runs ended and started again under the `restart` policy (counted in `enrolled` too). */
  restarted: number;
  /** Opted-out contacts, never enrolled. */
  optedOut: number;
}

const READ_CHUNK = 1_000;

/**
 * Enrols contacts into a sequence. Idempotent under the `ignore` policy: a contact with a run
 * (active, completed or stopped) is left alone; one that was unenrolled starts a new run.
 * Under `restart` an active run is ended and a new run starts from the first step.
 */
@Injectable()
export class EnrollContacts {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly audiences: AudienceReader,
  ) {}

  /** Enrols an audience (list, import, tags or contact ids). Throws 404 for an unknown sequence, list or import. */
  async enrollAudience(sequenceId: number, audience: unknown, policy?: ReenrollmentPolicy): Promise<EnrollResult> {
    const sequence = await this.sequences.get(sequenceId);
    const parsed: Audience = await this.audiences.validate(audience);
    const first = await this.firstStep(sequence);
    const total = emptyResult();
    for (let after = 0; ;) {
      const contacts = await this.audiences.readChunk(parsed, after, READ_CHUNK);
      if (contacts.length === 0) break;
      add(total, await this.enrollChunk(sequence, first, contacts, policy ?? sequence.reenrollment, new Date()));
      after = contacts[contacts.length - 1].id;
      if (contacts.length < READ_CHUNK) break;
    }
    return total;
  }

  /** Enrols contacts already read (e.g. just upserted from a sequence sheet). */
  async enrollContacts(sequenceId: number, contacts: AudienceContact[], policy?: ReenrollmentPolicy): Promise<EnrollResult> {
    const sequence = await this.sequences.get(sequenceId);
    const first = await this.firstStep(sequence);
    return this.enrollChunk(sequence, first, contacts, policy ?? sequence.reenrollment, new Date());
  }

  private async firstStep(sequence: Sequence): Promise<SequenceStep> {
    const [first] = await this.sequences.stepsOf(sequence.id);
    if (!first) throw DomainError.invalidState(`sequence ${sequence.id} has no steps`);
    return first;
  }

  private async enrollChunk(
    sequence: Sequence,
    first: SequenceStep,
    contacts: AudienceContact[],
    policy: ReenrollmentPolicy,
    now: Date,
  ): Promise<EnrollResult> {
    const result = emptyResult();
    const eligible = contacts.filter((c) => !c.optedOut);
    result.optedOut = contacts.length - eligible.length;
    const latest = await this.enrollments.latestRuns(
      sequence.id,
      eligible.map((c) => c.id),
    );
    const runs: NewEnrollment[] = [];
    const toRestart: number[] = [];
    for (const contact of eligible) {
      const previous = latest.get(contact.id);
      if (previous && previous.status !== 'unenrolled') {
        if (policy === 'ignore') {
          result.alreadyEnrolled++;
          continue;
        }
        if (previous.status === 'active') toRestart.push(previous.id);
      }
      const zone = sequence.window ? zoneOfContact(contact, sequence.timezone) : 'UTC';
      runs.push({ contactId: contact.id, run: (previous?.run ?? 0) + 1, nextDueAt: dueAt(now, first.delaySeconds, sequence.window, zone) });
    }
    if (toRestart.length) result.restarted = await this.enrollments.end(toRestart, 'unenrolled', 'restarted', now);
    result.enrolled = await this.enrollments.insertRuns(sequence.id, runs, now);
    return result;
  }
}

function emptyResult(): EnrollResult {
  return { enrolled: 0, alreadyEnrolled: 0, restarted: 0, optedOut: 0 };
}

function add(total: EnrollResult, part: EnrollResult): void {
  total.enrolled += part.enrolled;
  total.alreadyEnrolled += part.alreadyEnrolled;
  total.restarted += part.restarted;
  total.optedOut += part.optedOut;
}
