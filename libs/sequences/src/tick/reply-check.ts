import { Injectable } from '@nestjs/common';
import { RepliesQuery } from '@clarion/stats';
import type { DueEnrollment } from '../repositories/enrollments.repository';

/**
 * Which due runs' contacts wrote back since enrolling (stop on reply): one batch query from the
 * earliest enrolment of the chunk gives each contact's latest reply, compared with its own run's
 * enrolment time.
 */
@Injectable()
export class ReplyCheck {
  constructor(private readonly replies: RepliesQuery) {}

  async repliedSinceEnrolment(runs: DueEnrollment[]): Promise<Set<number>> {
    if (runs.length === 0) return new Set();
    const earliest = new Date(Math.min(...runs.map((r) => r.enrolledAt.getTime())));
    const latest = await this.replies.latestRepliesSince([...new Set(runs.map((r) => r.contactId))], earliest);
    return new Set(runs.filter((run) => (latest.get(run.contactId)?.getTime() ?? -Infinity) >= run.enrolledAt.getTime()).map((r) => r.id));
  }
}
