import { Injectable, Logger } from '@nestjs/common';
import { SequencesRepository } from '../repositories/sequences.repository';
import { StepBroadcasts } from '../ports/step-broadcasts.port';
import { parseSteps, parseStopWhen, parseTimezone, parseWindow, SequenceInput } from './sequence-input';
import { SequenceQueries, SequenceView } from './sequence-queries.service';

/**
 * Creates a sequence and one `sequence_step` broadcast per step (checking sender, templates and
 * variable mappings as a broadcast would). Nothing is kept when a step is refused.
 */
@Injectable()
export class CreateSequence {
  private readonly logger = new Logger(CreateSequence.name);

  constructor(
    private readonly sequences: SequencesRepository,
    private readonly broadcasts: StepBroadcasts,
    private readonly queries: SequenceQueries,
  ) {}

  async execute(input: SequenceInput, createdBy: string | null): Promise<SequenceView> {
    const steps = parseSteps(input.steps);
    const saved = await this.sequences.insert(
      {
        name: input.name,
        senderId: input.senderId,
        window: parseWindow(input.window),
        timezone: parseTimezone(input.timezone),
        stopOnReply: input.stopOnReply ?? true,
        stopWhen: parseStopWhen(input.stopWhen),
        reenrollment: input.reenrollment ?? 'ignore',
        createdBy,
      },
      steps.map((s, i) => ({
        position: i + 1,
        templateName: s.template.name,
        templateLanguage: s.template.language,
        variables: s.variables,
        headerMediaUrl: s.headerMediaUrl,
        delay: s.delay,
        delaySeconds: s.delaySeconds,
      })),
    );
    const created: number[] = [];
    try {
      for (const step of await this.sequences.stepsOf(saved.id)) {
        const broadcastId = await this.broadcasts.create({
          sequenceId: saved.id,
          position: step.position,
          name: `${input.name} · step ${step.position}`,
          senderId: input.senderId,
          template: { name: step.templateName, language: step.templateLanguage },
          variables: step.variables ?? {},
          headerMediaUrl: step.headerMediaUrl,
          createdBy,
        });
        created.push(broadcastId);
        await this.sequences.setStepBroadcast(step.id, broadcastId);
      }
    } catch (error) {
      await this.broadcasts
        .cancel(created)
        .catch((e: Error) => this.logger.warn({ sequenceId: saved.id, error: e.message }, 'could not cancel step broadcasts'));
      await this.sequences.removeEntirely(saved.id);
      throw error;
    }
    return this.queries.get(saved.id);
  }
}
