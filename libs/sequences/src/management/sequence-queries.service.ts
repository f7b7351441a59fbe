import { Injectable } from '@nestjs/common';
import { clampLimit, decodeCursor, Page, toPage } from '@clarion/common';
import { deriveRates, toStatsView } from '@clarion/stats';
import type { EnrollmentStatus, StopReason } from '../entities/sequence-enrollment.entity';
import type { ReenrollmentPolicy, Sequence, SequenceStatus, StopWhen } from '../entities/sequence.entity';
import type { SequenceStep } from '../entities/sequence-step.entity';
import { StepBroadcasts, StepBroadcastState, StepStats } from '../ports/step-broadcasts.port';
import { EnrollmentsRepository } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';
import type { SendWindow } from '../schedule/send-window';
import { checkUpcomingQuery, foldSlots, SLOT_MINUTES, UpcomingQuery, UpcomingSendsView } from './upcoming-sends';

export interface SequenceStepView {
  position: number;
  template: { name: string; language: string };
  variables: Record<string, string>;
  headerMediaUrl: string | null;
  delay: string;
  broadcastId: number | null;
  /** Runs waiting for this step now. */
  waiting: number;
  /** The step broadcast's status (paused while the sequence is, or by dispatch, e.g. a broken sender) and figures; only on GET one. */
  broadcastStatus?: string;
  broadcastStatusReason?: string | null;
  stats?: StepStats;
}

export interface SequenceView {
  id: number;
  name: string;
  senderId: number;
  status: Exclude<SequenceStatus, 'deleted'>;
  window: SendWindow | null;
  timezone: string | null;
  stopOnReply: boolean;
  stopWhen: StopWhen | null;
  reenrollment: ReenrollmentPolicy;
  steps: SequenceStepView[];
  enrollments: Record<EnrollmentStatus, number>;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EnrollmentView {
  id: number;
  contactId: number;
  run: number;
  status: EnrollmentStatus;
  nextStep: number | null;
  nextDueAt: Date | null;
  stopReason: StopReason | null;
  enrolledAt: Date;
  lastStepAt: Date | null;
  endedAt: Date | null;
}

/** Reads of sequences for the API: list, one with per-step statistics, and its enrolments. */
@Injectable()
export class SequenceQueries {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly broadcasts: StepBroadcasts,
  ) {}

  async get(id: number): Promise<SequenceView> {
    const sequence = await this.sequences.get(id);
    const steps = await this.sequences.stepsOf(id);
    const [counts, waiting, stats] = await Promise.all([
      this.enrollments.countsByStatus([id]),
      this.enrollments.waitingBySteps(id),
      this.broadcasts.describe(steps.map((s) => s.broadcastId).filter((b): b is number => b !== null)),
    ]);
    return toView(sequence, steps, counts.get(id)!, waiting, stats);
  }

  /**
   * Sends falling due in the next `days`, per step and per hour or day of `timezone`. Each active
   * run counts once, at the step it waits for: its later steps are timed from when WhatsApp
   * accepts this one, so they are not known yet. Overdue runs count in the first bucket.
   */
  async upcoming(id: number, query: Partial<UpcomingQuery>, now = new Date()): Promise<UpcomingSendsView> {
    const q = checkUpcomingQuery(query);
    await this.sequences.get(id);
    const to = new Date(now.getTime() + q.days * 86_400_000);
    const slotMs = SLOT_MINUTES * 60_000;
    // Slots start on quarter hours, so each lies wholly inside one hour or day of any zone.
    const origin = new Date(Math.floor(now.getTime() / slotMs) * slotMs);
    const slots = await this.enrollments.dueSlots(id, origin, now, to, SLOT_MINUTES);
    return {
      bucket: q.bucket,
      timezone: q.timezone,
      from: now,
      to,
      total: slots.reduce((sum, s) => sum + s.count, 0),
      data: foldSlots(slots, origin, q.bucket, q.timezone),
    };
  }

  async list(filter: { search?: string; status?: 'active' | 'paused' }, limit?: number, cursor?: string): Promise<Page<SequenceView>> {
    const take = clampLimit(limit);
    const position = decodeCursor<{ id: number }>(cursor);
    const rows = await this.sequences.page(filter, position ? Number(position.id) : undefined, take + 1);
    const page = toPage(rows, take, (s) => ({ id: s.id }));
    const ids = page.data.map((s) => s.id);
    const [steps, counts] = await Promise.all([this.sequences.stepsOfMany(ids), this.enrollments.countsByStatus(ids)]);
    return { data: page.data.map((s) => toView(s, steps.get(s.id) ?? [], counts.get(s.id)!, null, null)), nextCursor: page.nextCursor };
  }

  async enrollmentPage(
    sequenceId: number,
    filter: { status?: EnrollmentStatus; contactId?: number },
    limit?: number,
    cursor?: string,
  ): Promise<Page<EnrollmentView>> {
    await this.sequences.get(sequenceId);
    const take = clampLimit(limit);
    const position = decodeCursor<{ id: number }>(cursor);
    const rows = await this.enrollments.page(sequenceId, filter, position ? Number(position.id) : undefined, take + 1);
    const page = toPage(rows, take, (r) => ({ id: r.id }));
    return { data: page.data.map((r) => ({ ...r, nextStep: r.status === 'active' ? r.nextStep : null })), nextCursor: page.nextCursor };
  }
}

function toView(
  s: Sequence,
  steps: SequenceStep[],
  counts: Record<EnrollmentStatus, number>,
  waiting: Map<number, number> | null,
  states: Map<number, StepBroadcastState> | null,
): SequenceView {
  return {
    id: s.id,
    name: s.name,
    senderId: s.senderId,
    status: s.status === 'paused' ? 'paused' : 'active',
    window: s.window,
    timezone: s.timezone,
    stopOnReply: s.stopOnReply,
    stopWhen: s.stopWhen,
    reenrollment: s.reenrollment,
    steps: steps.map((step) => ({
      position: step.position,
      template: { name: step.templateName, language: step.templateLanguage },
      variables: step.variables ?? {},
      headerMediaUrl: step.headerMediaUrl,
      delay: step.delay,
      broadcastId: step.broadcastId,
      waiting: waiting?.get(step.position) ?? 0,
      ...(states && step.broadcastId !== null ? stateOf(states.get(step.broadcastId)) : {}),
    })),
    enrollments: counts,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

function stateOf(state: StepBroadcastState | undefined): Pick<SequenceStepView, 'broadcastStatus' | 'broadcastStatusReason' | 'stats'> {
  if (!state) return { stats: emptyStats() };
  return { broadcastStatus: state.status, broadcastStatusReason: state.statusReason, stats: state.stats };
}

function emptyStats(): StepStats {
  const stats = toStatsView({});
  return { ...stats, rates: deriveRates(stats) };
}
