import { Injectable } from '@nestjs/common';
import { RepliesQuery } from '@clarion/stats';
import type { DueEnrollment } from '../repositories/enrollments.repository';

/**
 * Which due runs' contacts wrote back since enrolling (stop on reply). One batch query from the
 * earliest enrolment of the chunk finds the few candidates; each candidate is then checked
 * against its own run's enrolment time.
 */
@Injectable()
export class ReplyCheck {
  constructor(private readonly replies: RepliesQuery) {}

  async repliedSinceEnrolment(runs: DueEnrollment[]): Promise<Set<number>> {
    const replied = new Set<number>();
    if (runs.length === 0) return replied;
    const earliest = new Date(Math.min(...runs.map((r) => r.enrolledAt.getTime())));
    const candidates = await this.replies.contactsRepliedSince([...new Set(runs.map((r) => r.contactId))], earliest);
    for (const run of runs) {
      if (!candidates.has(run.contactId)) continue;
      if (run.enrolledAt.getTime() === earliest.getTime() || (await this.replies.hasRepliedSince(run.contactId, run.enrolledAt)))
        replied.add(run.id);
    }
    return replied;
  }
}
