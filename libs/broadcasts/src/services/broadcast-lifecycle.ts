import { Injectable } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { BroadcastStatus } from '../entities/broadcast.entity';
import { BroadcastsRepository } from '../repositories/broadcasts.repository';
import { RecipientsRepository } from '../repositories/recipients.repository';
import { SendableTemplatesRepository } from '../repositories/sendable-templates.repository';
import { DispatchSignal } from '../scheduling/dispatch-signal';
import { LaunchJobs } from '../scheduling/launch-jobs';
import { BroadcastView, toBroadcastView } from './broadcast-view';
import { UpdateBroadcastCommand } from './broadcast-commands';
import { CostEstimator } from './cost-estimator';
import { CreateBroadcast } from './create-broadcast';

const EDITABLE: BroadcastStatus[] = ['draft', 'scheduled'];

/** SET fragment (for BroadcastsRepository.transition) that starts the error policy's window now. */
const RESET_ERROR_POLICY_WINDOW = `policy_failed_base = (SELECT s.failed FROM broadcast_stats s WHERE s.broadcast_id = broadcasts.id),
  policy_attempted_base = (SELECT s.accepted + s.refused FROM broadcast_stats s WHERE s.broadcast_id = broadcasts.id)`;

/**
 * Edits and state changes of an existing broadcast. Every change is a conditional UPDATE on the
 * status, so a concurrent launch or a second call cannot both win; dispatch loops re-read the
 * status before each batch and are nudged at once, so a pause or cancel takes effect within a batch.
 */
@Injectable()
export class BroadcastLifecycle {
  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly launches: LaunchJobs,
    private readonly signal: DispatchSignal,
    private readonly creator: CreateBroadcast,
    private readonly cost: CostEstimator,
    private readonly templates: SendableTemplatesRepository,
    private readonly recipients: RecipientsRepository,
  ) {}

  async update(id: number, cmd: UpdateBroadcastCommand): Promise<BroadcastView> {
    const current = await this.broadcasts.getById(id);
    if (!EDITABLE.includes(current.status))
      throw DomainError.invalidState(`broadcast ${id} is ${current.status}; only draft or scheduled broadcasts can be edited`);
    const prepared = await this.creator.prepare({
      name: cmd.name ?? current.name,
      senderId: cmd.senderId ?? current.senderId,
      template: cmd.template ?? { name: current.templateName, language: current.templateLanguage },
      audience: cmd.audience ?? (current.audience as Record<string, unknown>),
      variables: cmd.variables ?? current.variables ?? {},
      headerMediaUrl: cmd.headerMediaUrl !== undefined ? cmd.headerMediaUrl : current.headerMediaUrl,
      tags: cmd.tags ?? current.tags ?? [],
      errorPolicy: cmd.errorPolicy !== undefined ? cmd.errorPolicy : current.errorPolicy,
      scheduledAt: cmd.scheduledAt,
      sendAt: cmd.sendAt !== undefined ? cmd.sendAt : current.sendAt,
      localTimePassed: cmd.localTimePassed !== undefined ? cmd.localTimePassed : current.localTimePassed,
      quietHours: cmd.quietHours !== undefined ? cmd.quietHours : current.quietHours,
      timezone: cmd.timezone !== undefined ? cmd.timezone : current.timezone,
    });
    const draft = cmd.draft ?? current.status === 'draft';
    const scheduledAt = cmd.scheduledAt !== undefined ? cmd.scheduledAt : current.scheduledAt;
    if (prepared.sendAt === 'recipient_local' && !draft && !scheduledAt)
      throw DomainError.validation('scheduledAt: sendAt "recipient_local" needs the time to send at in each recipient\'s zone');
    await this.launches.cancelLaunch(id, current.scheduledAt);
    const next = Object.assign(current, prepared, {
      status: draft ? 'draft' : 'scheduled',
      scheduledAt: draft ? scheduledAt : (scheduledAt ?? new Date()),
    });
    // The status may have moved (a launch firing) since it was read: only write while still editable.
    if (!(await this.broadcasts.transition(id, EDITABLE, next.status)))
      throw DomainError.invalidState(`broadcast ${id} started while being edited`);
    const saved = await this.broadcasts.save(next);
    if (!draft) await this.launches.scheduleLaunch({ ...saved, scheduledAt: saved.scheduledAt! });
    return toBroadcastView(saved, this.cost.table.currency);
  }

  async remove(id: number): Promise<void> {
    const current = await this.broadcasts.getById(id);
    if (!EDITABLE.includes(current.status))
      throw DomainError.invalidState(
        `broadcast ${id} is ${current.status}; only draft or scheduled broadcasts can be deleted (cancel it instead)`,
      );
    if (!(await this.broadcasts.transition(id, EDITABLE, 'cancelled'))) throw DomainError.invalidState(`broadcast ${id} started meanwhile`);
    await this.launches.cancelLaunch(id, current.scheduledAt);
    await this.broadcasts.remove(id);
  }

  async pause(id: number, reason = 'paused by a user'): Promise<BroadcastView> {
    return this.move(id, ['running', 'waiting_quota'], 'paused', reason);
  }

  /** Resumes a paused broadcast; refused (400) while its template is not APPROVED, as Meta would refuse every send. */
  async resume(id: number): Promise<BroadcastView> {
    const current = await this.broadcasts.getById(id);
    const template = current.status === 'paused' ? await this.templates.findById(current.templateId) : null;
    if (template && template.status !== 'APPROVED')
      throw DomainError.validation(
        `template: "${template.name}" (${template.language}) is ${template.status}${template.statusReason ? ` (${template.statusReason})` : ''}; broadcast ${id} can resume once it is APPROVED again`,
      );
    // The error policy then judges only what is sent from here (see ErrorPolicyWindow1765300000101).
    const view = await this.move(id, ['paused'], 'running', null, RESET_ERROR_POLICY_WINDOW);
    const b = await this.broadcasts.getById(id);
    if (b.kind === 'broadcast' && !b.fanoutDoneAt) await this.launches.scheduleFanOut(id);
    return view;
  }

  /**
   * Cancels a broadcast; its unsent recipients end `cancelled` (counted in its stats, so nothing
   * stays queued). A batch in flight finishes; what it hands back is swept by the recovery tick.
   */
  async cancel(id: number): Promise<BroadcastView> {
    const current = await this.broadcasts.getById(id);
    const view = await this.move(
      id,
      ['draft', 'scheduled', 'running', 'paused', 'waiting_quota'],
      'cancelled',
      'cancelled by a user',
      'finished_at = NOW(3)',
    );
    await this.launches.cancelLaunch(id, current.scheduledAt);
    await this.recipients.cancelUnsent(id);
    return view;
  }

  private async move(id: number, from: BroadcastStatus[], to: BroadcastStatus, reason: string | null, extra = ''): Promise<BroadcastView> {
    const current = await this.broadcasts.getById(id);
    if (!(await this.broadcasts.transition(id, from, to, reason, extra))) {
      throw DomainError.invalidState(`broadcast ${id} is ${current.status}; it can be ${verb(to)} only when ${from.join(' or ')}`);
    }
    await this.signal.nudge(id);
    return toBroadcastView(await this.broadcasts.getById(id), this.cost.table.currency);
  }
}

function verb(to: BroadcastStatus): string {
  return to === 'running' ? 'resumed' : to;
}
