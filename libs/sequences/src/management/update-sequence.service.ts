import { Injectable } from '@nestjs/common';
import type { Sequence } from '../entities/sequence.entity';
import type { SequenceStep } from '../entities/sequence-step.entity';
import { StepBroadcasts } from '../ports/step-broadcasts.port';
import { EnrollmentsRepository } from '../repositories/enrollments.repository';
import { SequencesRepository } from '../repositories/sequences.repository';
import { ParsedStep, parseSteps, parseStopWhen, parseTimezone, parseWindow, SequenceChanges } from './sequence-input';
import { SequenceQueries, SequenceView } from './sequence-queries.service';

/**
 * Edits a sequence. Only sends not yet made are affected: a step's new template or variables
 * apply to recipients appended from now on (sent ones keep what they got); a new delay is
 * re-applied to the runs waiting for that step (due = anchor + new delay); `steps` given in full
 * replaces the list: extra steps are added for runs still going, steps removed from the end are
 * cancelled and runs waiting for them complete. Window and stop rules apply from the next tick.
 */
@Injectable()
export class UpdateSequence {
  constructor(
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly broadcasts: StepBroadcasts,
    private readonly queries: SequenceQueries,
  ) {}

  async execute(id: number, changes: SequenceChanges): Promise<SequenceView> {
    const sequence = await this.sequences.get(id);
    const update: Partial<Sequence> = {};
    if (changes.name !== undefined) update.name = changes.name;
    if (changes.window !== undefined) update.window = parseWindow(changes.window);
    if (changes.timezone !== undefined) update.timezone = parseTimezone(changes.timezone);
    if (changes.stopOnReply !== undefined) update.stopOnReply = changes.stopOnReply;
    if (changes.stopWhen !== undefined) update.stopWhen = parseStopWhen(changes.stopWhen);
    if (changes.reenrollment !== undefined) update.reenrollment = changes.reenrollment;
    const steps = changes.steps !== undefined ? parseSteps(changes.steps) : null;
    if (Object.keys(update).length) await this.sequences.update(id, update);
    if (steps) await this.replaceSteps({ ...sequence, ...update }, steps);
    if (update.window !== undefined && update.window !== null) {
      // Runs parked at the old window's opening are re-timed from their anchors; the tick moves
      // any that fall outside the new window to its opening.
      for (const step of await this.sequences.stepsOf(id)) await this.enrollments.reschedulePending(id, step.position, step.delaySeconds);
    }
    return this.queries.get(id);
  }

  private async replaceSteps(sequence: Sequence, wanted: ParsedStep[]): Promise<void> {
    const current = await this.sequences.stepsOf(sequence.id);
    for (let i = 0; i < wanted.length; i++) {
      const next = wanted[i];
      const existing = current[i];
      if (existing) await this.editStep(sequence, existing, next);
      else await this.addStep(sequence, i + 1, next);
    }
    const removed = current.slice(wanted.length);
    if (removed.length) {
      await this.broadcasts.cancel(removed.map((s) => s.broadcastId).filter((b): b is number => b !== null));
      await this.sequences.deleteStepsAfter(sequence.id, wanted.length);
      await this.enrollments.completeBeyond(sequence.id, wanted.length, new Date());
    }
  }

  private async editStep(sequence: Sequence, step: SequenceStep, next: ParsedStep): Promise<void> {
    const contentChanged =
      step.templateName !== next.template.name ||
      step.templateLanguage !== next.template.language ||
      JSON.stringify(step.variables ?? {}) !== JSON.stringify(next.variables) ||
      (step.headerMediaUrl ?? null) !== next.headerMediaUrl;
    if (contentChanged && step.broadcastId !== null) {
      await this.broadcasts.update(step.broadcastId, this.spec(sequence, step.position, next));
    }
    await this.sequences.updateStep(step.id, {
      templateName: next.template.name,
      templateLanguage: next.template.language,
      variables: next.variables,
      headerMediaUrl: next.headerMediaUrl,
      delay: next.delay,
      delaySeconds: next.delaySeconds,
    });
    if (step.delaySeconds !== next.delaySeconds) await this.enrollments.reschedulePending(sequence.id, step.position, next.delaySeconds);
  }

  private async addStep(sequence: Sequence, position: number, next: ParsedStep): Promise<void> {
    const broadcastId = await this.broadcasts.create(this.spec(sequence, position, next));
    await this.sequences.insertStep({
      sequenceId: sequence.id,
      position,
      templateName: next.template.name,
      templateLanguage: next.template.language,
      variables: next.variables,
      headerMediaUrl: next.headerMediaUrl,
      delay: next.delay,
      delaySeconds: next.delaySeconds,
      broadcastId,
    });
    if (sequence.status === 'paused') await this.broadcasts.pause([broadcastId]);
  }

  private spec(sequence: Sequence, position: number, step: ParsedStep) {
    return {
      sequenceId: sequence.id,
      position,
      name: `${sequence.name} · step ${position}`,
      senderId: sequence.senderId,
      template: step.template,
      variables: step.variables,
      headerMediaUrl: step.headerMediaUrl,
      createdBy: sequence.createdBy,
    };
  }
}
