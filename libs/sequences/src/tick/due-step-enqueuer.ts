import { Injectable, Logger } from '@nestjs/common';
import { AudienceContact, AudienceReader, zoneOfContact } from '@clarion/contacts';
import { DueEnrollment, EnrollmentsRepository } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';
import type { Sequence } from '../entities/sequence.entity';
import type { SequenceStep } from '../entities/sequence-step.entity';
import type { StopReason } from '../entities/sequence-enrollment.entity';
import { StepBroadcasts } from '../ports/step-broadcasts.port';
import { dueAfterPreviousSend, dueAt } from '../schedule/due-time';
import { nextOpening } from '../schedule/send-window';
import { ReplyCheck } from './reply-check';
import { stopReasonFor } from './stop-conditions';

/** Due runs handled per round trip: one claim query, one contact read, one append, a few updates. */
export const TICK_CHUNK = 1_000;
/** Chunks written concurrently by one firing: the database has cores to spare while one chunk waits on a round trip. */
const CHUNKS_IN_FLIGHT = 3;
/** How long runs wait before a step whose broadcast cannot send is looked at again. */
const HELD_STEP_RETRY_MS = 60_000;

export interface EnqueueResult {
  enqueued: number;
  stopped: number;
  postponed: number;
  completed: number;
}

/**
 * One firing's work: for every active sequence, takes its due runs in chunks (earliest first),
 * ends those that must stop, postpones those outside their send window, appends the rest to their
 * step's broadcast (the dispatch path does the sending) and moves them to the next step.
 *
 * A step's delay counts from when WhatsApp accepted the previous step. The next due time is first
 * set from the moment this step is handed to dispatch (never earlier than the send); when it comes,
 * the run is held until the delay has passed since the previous step's acceptance, which quota, the
 * throughput cap or a pause may have held back: a contact never gets two steps closer than their
 * delay.
 *
 * Every write is safe to repeat: appending is idempotent per broadcast × contact × enrolment and
 * advancing is guarded by the step a run is at, so a firing cut short is simply redone.
 */
@Injectable()
export class DueStepEnqueuer {
  private readonly logger = new Logger(DueStepEnqueuer.name);

  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly contacts: AudienceReader,
    private readonly broadcasts: StepBroadcasts,
    private readonly replies: ReplyCheck,
  ) {}

  /**
   * Enqueues everything due at `now`. `keepGoing` is asked between chunks (the lease is still
   * held); returning false ends the firing early and the rest waits for the next one.
   */
  async enqueueDue(now: Date, keepGoing: () => Promise<boolean> = async () => true): Promise<EnqueueResult> {
    const total: EnqueueResult = { enqueued: 0, stopped: 0, postponed: 0, completed: 0 };
    for (const sequence of await this.sequences.active()) {
      const sequenceId = sequence.id;
      let steps: SequenceStep[] | null = null;
      let unusable = new Set<number>();
      // Reads run ahead of writes: up to CHUNKS_IN_FLIGHT chunks are being appended and advanced
      // while the next is claimed (keyset reads, so a chunk not yet advanced is not read twice).
      const inFlight = new Set<Promise<void>>();
      let after: { dueAt: Date; id: number } | undefined;
      let failure: unknown = null;
      try {
        for (;;) {
          const due = await this.enrollments.claimDue(sequenceId, now, TICK_CHUNK, after);
          if (due.length === 0) break;
          const last = due[due.length - 1];
          after = { dueAt: last.nextDueAt, id: last.id };
          if (!steps) {
            steps = await this.sequences.stepsOf(sequenceId);
            unusable = await this.broadcasts.unusable(steps.map((st) => st.broadcastId).filter((b): b is number => b !== null));
          }
          const work: Promise<void> = this.enqueueChunk(sequence, steps, unusable, due, now).then((r) => {
            total.enqueued += r.enqueued;
            total.stopped += r.stopped;
            total.postponed += r.postponed;
            total.completed += r.completed;
          });
          inFlight.add(work);
          void work.finally(() => inFlight.delete(work)).catch(() => undefined);
          if (inFlight.size >= CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
          if (due.length < TICK_CHUNK || !(await keepGoing())) break;
        }
      } catch (error) {
        failure = error;
      }
      // A chunk that failed ends the firing, but only once the others have settled.
      const failed = (await Promise.allSettled(inFlight)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure || failed) throw failure ?? failed!.reason;
    }
    return total;
  }

  private async enqueueChunk(
    sequence: Sequence,
    steps: SequenceStep[],
    unusable: Set<number>,
    due: DueEnrollment[],
    now: Date,
  ): Promise<EnqueueResult> {
    const result: EnqueueResult = { enqueued: 0, stopped: 0, postponed: 0, completed: 0 };
    const contactIds = [...new Set(due.map((d) => d.contactId))].sort((a, b) => a - b);
    const contacts = new Map((await this.contacts.readChunk({ contactIds }, 0, contactIds.length)).map((c) => [c.id, c]));
    const replied = sequence.stopOnReply ? await this.replies.repliedSinceEnrolment(due) : new Set<number>();

    const stops = new Map<StopReason, number[]>();
    const postpone = new Map<number, number[]>();
    const byStep = new Map<number, StepRun[]>();
    for (const run of due) {
      const contact = contacts.get(run.contactId);
      const reason = stopReasonFor(contact, replied.has(run.id), sequence);
      if (reason) {
        push(stops, reason, run.id);
        continue;
      }
      const zone = sequence.window ? zoneOfContact(contact!, sequence.timezone) : 'UTC';
      if (sequence.window) {
        // The window may have closed since the due time was set (a pause, a window edit, a late tick).
        const opening = nextOpening(now, sequence.window, zone).getTime();
        if (opening > now.getTime()) {
          push(postpone, opening, run.id);
          continue;
        }
      }
      push(byStep, run.nextStep, { run, contact: contact!, zone });
    }

    for (const [reason, ids] of stops) result.stopped += await this.enrollments.end(ids, 'stopped', reason, now);
    for (const [opening, ids] of postpone) {
      await this.enrollments.postpone(ids, new Date(opening));
      result.postponed += ids.length;
    }

    for (const [position, due] of byStep) {
      const step = steps[position - 1];
      if (!step) {
        // The step was removed after these runs reached it: nothing left to send.
        const ids = due.map((r) => r.run.id);
        await this.enrollments.complete(ids, position, now);
        result.completed += ids.length;
        continue;
      }
      if (step.broadcastId === null || unusable.has(step.broadcastId)) {
        // Sent into a cancelled or failed broadcast, the step would be lost: the runs wait (checked
        // again in a minute) and the step's broadcastStatus in GET /v1/sequences/:id shows why.
        this.logger.error(
          { sequenceId: sequence.id, step: position, broadcastId: step.broadcastId },
          'sequence step broadcast cannot send; its runs wait',
        );
        await this.enrollments.postpone(
          due.map((r) => r.run.id),
          new Date(now.getTime() + HELD_STEP_RETRY_MS),
        );
        result.postponed += due.length;
        continue;
      }
      const previous = steps[position - 2];
      const runs = previous?.broadcastId ? await this.holdUntilDelayAfterPreviousSend(previous.broadcastId, step, sequence, due, now) : due;
      result.postponed += due.length - runs.length;
      if (runs.length === 0) continue;
      const ids = runs.map((r) => r.run.id);
      await this.broadcasts.append(
        step.broadcastId,
        runs.map((r) => ({ contact: r.contact, enrollmentId: r.run.id })),
      );
      result.enqueued += runs.length;
      const next = steps[position];
      if (!next) {
        await this.enrollments.complete(ids, position, now);
        result.completed += ids.length;
        continue;
      }
      const byDue = new Map<number, number[]>();
      for (const r of runs) push(byDue, dueAt(now, next.delaySeconds, sequence.window, r.zone).getTime(), r.run.id);
      for (const [time, group] of byDue) await this.enrollments.advance(group, position, new Date(time), now);
    }
    return result;
  }

  /** The runs whose previous step was accepted at least `step`'s delay ago; the others are postponed to when it will have been. */
  private async holdUntilDelayAfterPreviousSend(
    previousBroadcastId: number,
    step: SequenceStep,
    sequence: Sequence,
    runs: StepRun[],
    now: Date,
  ): Promise<StepRun[]> {
    const sends = await this.broadcasts.sends(
      previousBroadcastId,
      runs.map((r) => ({ contactId: r.run.contactId, enrollmentId: r.run.id })),
    );
    const ready: StepRun[] = [];
    const later = new Map<number, number[]>();
    for (const r of runs) {
      const due = dueAfterPreviousSend(sends.get(r.run.id), step.delaySeconds, sequence.window, r.zone, now).getTime();
      if (due > now.getTime()) push(later, due, r.run.id);
      else ready.push(r);
    }
    for (const [time, ids] of later) await this.enrollments.postpone(ids, new Date(time));
    return ready;
  }
}

/** A due run on its way to a step, with its contact and the zone its window is read in. */
interface StepRun {
  run: DueEnrollment;
  contact: AudienceContact;
  zone: string;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
