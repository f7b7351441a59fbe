import { Injectable } from '@nestjs/common';
import type { AudienceContact } from '@clarion/contacts';
import { FanOutService } from '../fan-out/fan-out.service';
import { RecipientsRepository } from '../repositories/recipients.repository';
import { DispatchSignal } from '../scheduling/dispatch-signal';

/**
 * The dispatch path for drip sequences. A sequence step is a broadcast of `kind = 'sequence_step'`
 * created `running` with no audience: it never completes on its own (stays running while the
 * sequence is active) and receives recipients over time through `appendRecipients`.
 */
@Injectable()
export class SequenceStepDispatch {
  constructor(
    private readonly fanOut: FanOutService,
    private readonly signal: DispatchSignal,
    private readonly recipients: RecipientsRepository,
  ) {}

  /**
   * Renders each contact's variables with the step broadcast's template and mapping, records
   * skips with their reason (opted out, invalid number, missing variable, refused parameter),
   * and inserts ledger rows idempotently on (broadcast_id, contact_id, enrollment_id): calling
   * twice with the same items adds nothing. Bumps broadcast_stats.total/skipped by what was new
   * and wakes dispatch. Returns the counts of new rows and, per item, the skip reason if any.
   */
  async appendRecipients(
    broadcastId: number,
    items: Array<{ contact: AudienceContact; enrollmentId: number }>,
  ): Promise<{ inserted: number; skipped: number; skips: Array<{ contactId: number; enrollmentId: number; reason: string }> }> {
    const { inserted, skipped, planned } = await this.fanOut.append(broadcastId, items);
    const skips = planned
      .filter((p) => p.skipReason !== null)
      .map((p) => ({ contactId: p.contactId, enrollmentId: p.enrollmentId, reason: p.skipReason! }));
    return { inserted, skipped, skips };
  }

  /**
   * Takes back what these enrolments were handed but dispatch has not claimed yet (they are
   * skipped as `unenrolled`); a message already in flight may still go out. Returns how many.
   */
  async withdrawRecipients(broadcastIds: number[], enrollmentIds: number[]): Promise<number> {
    let withdrawn = 0;
    for (const broadcastId of broadcastIds) withdrawn += await this.recipients.withdrawPending(broadcastId, enrollmentIds, 'unenrolled');
    return withdrawn;
  }

  /** Wakes the dispatch loops of every worker for this broadcast now (otherwise they notice within ~0.5 s). */
  nudge(broadcastId: number): Promise<void> {
    return this.signal.nudge(broadcastId);
  }
}
