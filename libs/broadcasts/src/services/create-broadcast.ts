import { Injectable } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { MappingError, MessageRenderer } from '@clarion/templates';
import { BroadcastAudienceReader } from '../audience/broadcast-audience-reader';
import { Broadcast } from '../entities/broadcast.entity';
import { BroadcastsRepository } from '../repositories/broadcasts.repository';
import { SendableTemplatesRepository } from '../repositories/sendable-templates.repository';
import { LaunchJobs } from '../scheduling/launch-jobs';
import { latestLocalSend, parseTiming, wallClockOf } from '../scheduling/recipient-local-time';
import { BroadcastView, toBroadcastView } from './broadcast-view';
import { CreateBroadcastCommand } from './broadcast-commands';
import { CostEstimator } from './cost-estimator';
import { SendersLookup } from './senders-lookup';

/** Creates a broadcast (or a copy of one: "send again"): checks sender, template, audience and mapping, estimates the cost, schedules the launch. */
@Injectable()
export class CreateBroadcast {
  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly templates: SendableTemplatesRepository,
    private readonly senders: SendersLookup,
    private readonly audiences: BroadcastAudienceReader,
    private readonly cost: CostEstimator,
    private readonly launches: LaunchJobs,
  ) {}

  async execute(cmd: CreateBroadcastCommand): Promise<BroadcastView> {
    const prepared = await this.prepare(cmd);
    if (prepared.sendAt === 'recipient_local' && !cmd.draft && !cmd.scheduledAt)
      throw DomainError.validation('scheduledAt: sendAt "recipient_local" needs the time to send at in each recipient\'s zone');
    const scheduledAt = cmd.draft ? (cmd.scheduledAt ?? null) : (cmd.scheduledAt ?? new Date());
    const saved = await this.broadcasts.insertWithStats({
      ...prepared,
      status: cmd.draft ? 'draft' : 'scheduled',
      scheduledAt,
      createdBy: cmd.createdBy ?? null,
    });
    if (!cmd.draft) await this.launches.scheduleLaunch({ ...saved, scheduledAt: scheduledAt! });
    return toBroadcastView(saved, this.cost.table.currency);
  }

  /** A new broadcast with the same settings, scheduled now (or at `scheduledAt`), or kept as a draft to review first. */
  async copy(id: number, scheduledAt: Date | null, createdBy: string | null, draft = false): Promise<BroadcastView> {
    const source = await this.broadcasts.getById(id);
    if (source.kind !== 'broadcast') throw DomainError.invalidState(`broadcast ${id} is a sequence step; copy the sequence instead`);
    const view = await this.execute({
      name: `${source.name} (copy)`.slice(0, 200),
      senderId: source.senderId,
      template: { name: source.templateName, language: source.templateLanguage },
      audience: source.audience as Record<string, unknown>,
      variables: source.variables ?? {},
      headerMediaUrl: source.headerMediaUrl,
      scheduledAt,
      sendAt: source.sendAt,
      localTimePassed: source.localTimePassed,
      quietHours: source.quietHours,
      timezone: source.timezone,
      tags: source.tags ?? [],
      errorPolicy: source.errorPolicy,
      createdBy,
      draft,
    });
    const copy = await this.broadcasts.getById(view.id);
    copy.copiedFromId = id;
    return toBroadcastView(await this.broadcasts.save(copy), this.cost.table.currency);
  }

  /** Checks references and the mapping; returns the columns a broadcast row takes from them. */
  async prepare(
    cmd: Pick<
      CreateBroadcastCommand,
      | 'name'
      | 'senderId'
      | 'template'
      | 'audience'
      | 'variables'
      | 'headerMediaUrl'
      | 'tags'
      | 'errorPolicy'
      | 'scheduledAt'
      | 'sendAt'
      | 'localTimePassed'
      | 'quietHours'
      | 'timezone'
    >,
  ): Promise<Partial<Broadcast>> {
    const timing = parseTiming(cmd);
    // Recipient-local time may name a time already past here, as long as some zone has not reached it yet.
    const lastDue =
      cmd.scheduledAt && timing.sendAt === 'recipient_local'
        ? latestLocalSend(wallClockOf(cmd.scheduledAt, timing.timezone))
        : cmd.scheduledAt;
    if (lastDue && lastDue.getTime() < Date.now() - 60_000)
      throw DomainError.validation(
        timing.sendAt === 'recipient_local' ? 'scheduledAt: that time has passed in every time zone' : 'scheduledAt: is in the past',
      );
    const sender = await this.senders.get(cmd.senderId);
    const template = await this.templates.findSendable(cmd.template.name, cmd.template.language, sender.wabaId);
    const audience = await this.audiences.validate(cmd.audience);
    try {
      MessageRenderer.compile(template, cmd.variables ?? {}, cmd.headerMediaUrl ?? null);
    } catch (error) {
      if (error instanceof MappingError) throw DomainError.validation(error.message);
      throw error;
    }
    const count = await this.audiences.count(audience);
    return {
      name: cmd.name,
      kind: 'broadcast',
      senderId: sender.id,
      templateId: template.id,
      templateName: template.name,
      templateLanguage: template.language,
      templateCategory: template.category,
      audience,
      variables: cmd.variables ?? {},
      headerMediaUrl: cmd.headerMediaUrl ?? null,
      ...timing,
      tags: cmd.tags ?? [],
      errorPolicy: cmd.errorPolicy ?? null,
      audienceCount: count,
      estimatedCost: await this.cost.estimate(audience, template.category, count),
    };
  }
}
