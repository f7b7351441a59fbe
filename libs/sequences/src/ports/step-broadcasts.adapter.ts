import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  BroadcastLifecycle,
  BroadcastsRepository,
  SendableTemplatesRepository,
  SendersLookup,
  SequenceStepDispatch,
} from '@clarion/broadcasts';
import { DomainError } from '@clarion/common';
import type { AudienceContact } from '@clarion/contacts';
import { deriveRates, STATS_COLUMNS, toStatsView } from '@clarion/stats';
import { MappingError, MessageRenderer } from '@clarion/templates';
import { StepBroadcasts, StepBroadcastSpec, StepBroadcastState, StepSend } from './step-broadcasts.port';

/**
 * Step broadcasts over @clarion/broadcasts: a `sequence_step` broadcast is created `running`,
 * has no audience, and takes its recipients from the tick through `appendRecipients`.
 */
@Injectable()
export class StepBroadcastsAdapter extends StepBroadcasts {
  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly lifecycle: BroadcastLifecycle,
    private readonly templates: SendableTemplatesRepository,
    private readonly senders: SendersLookup,
    private readonly dispatch: SequenceStepDispatch,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    super();
  }

  async create(spec: StepBroadcastSpec): Promise<number> {
    const fields = await this.prepare(spec);
    const saved = await this.broadcasts.insertWithStats({
      ...fields,
      kind: 'sequence_step',
      status: 'running',
      startedAt: new Date(),
      sequenceId: spec.sequenceId,
      sequenceStep: spec.position,
      createdBy: spec.createdBy,
    });
    return saved.id;
  }

  async update(broadcastId: number, spec: StepBroadcastSpec): Promise<void> {
    const fields = await this.prepare(spec);
    const current = await this.broadcasts.getById(broadcastId);
    await this.broadcasts.save(Object.assign(current, fields));
  }

  async append(broadcastId: number, items: Array<{ contact: AudienceContact; enrollmentId: number }>): Promise<void> {
    if (items.length === 0) return;
    await this.dispatch.appendRecipients(broadcastId, items);
  }

  async sends(broadcastId: number, items: Array<{ contactId: number; enrollmentId: number }>): Promise<Map<number, StepSend>> {
    const out = new Map<number, StepSend>();
    if (items.length === 0) return out;
    // The contact ids keep the read on uq_recipient (broadcast_id, contact_id, enrollment_id).
    const rows: Array<{ enrollment_id: string | number; dispatch_state: string; accepted_at: Date | null }> = await this.db.query(
      `SELECT enrollment_id, dispatch_state, accepted_at FROM broadcast_recipients
       WHERE broadcast_id = ? AND contact_id IN (?) AND enrollment_id IN (?)`,
      [broadcastId, [...new Set(items.map((i) => i.contactId))], items.map((i) => i.enrollmentId)],
    );
    for (const r of rows) {
      out.set(Number(r.enrollment_id), {
        acceptedAt: r.accepted_at,
        settled: r.dispatch_state !== 'pending' && r.dispatch_state !== 'claimed',
      });
    }
    return out;
  }

  withdraw(broadcastIds: number[], enrollmentIds: number[]): Promise<number> {
    return this.dispatch.withdrawRecipients(broadcastIds, enrollmentIds);
  }

  async pause(broadcastIds: number[]): Promise<void> {
    for (const id of broadcastIds) await this.lifecycle.pause(id, 'sequence paused').catch(ignoreInvalidState);
  }

  async resume(broadcastIds: number[]): Promise<void> {
    for (const id of broadcastIds) await this.lifecycle.resume(id).catch(ignoreInvalidState);
  }

  async cancel(broadcastIds: number[]): Promise<void> {
    for (const id of broadcastIds) await this.lifecycle.cancel(id).catch(ignoreInvalidState);
  }

  async unusable(broadcastIds: number[]): Promise<Set<number>> {
    const statuses = await this.broadcasts.statuses(broadcastIds);
    return new Set(
      [...statuses].filter(([, status]) => status === 'cancelled' || status === 'failed' || status === 'completed').map(([id]) => id),
    );
  }

  async describe(broadcastIds: number[]): Promise<Map<number, StepBroadcastState>> {
    const out = new Map<number, StepBroadcastState>();
    if (broadcastIds.length === 0) return out;
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT b.id, b.status, b.status_reason, ${STATS_COLUMNS('s')} FROM broadcasts b LEFT JOIN broadcast_stats s ON s.broadcast_id = b.id WHERE b.id IN (?)`,
      [broadcastIds],
    );
    for (const row of rows) {
      const stats = toStatsView(row);
      out.set(Number(row.id), {
        status: String(row.status),
        statusReason: (row.status_reason as string | null) ?? null,
        stats: { ...stats, rates: deriveRates(stats) },
      });
    }
    return out;
  }

  /** Checks sender, template (APPROVED) and the variables mapping, like any broadcast. */
  private async prepare(spec: StepBroadcastSpec) {
    const sender = await this.senders.get(spec.senderId);
    const template = await this.templates.findSendable(spec.template.name, spec.template.language, sender.wabaId);
    try {
      MessageRenderer.compile(template, spec.variables, spec.headerMediaUrl);
    } catch (error) {
      if (error instanceof MappingError) throw DomainError.validation(`steps[${spec.position}]: ${error.message}`);
      throw error;
    }
    return {
      name: spec.name.slice(0, 200),
      senderId: sender.id,
      templateId: template.id,
      templateName: template.name,
      templateLanguage: template.language,
      templateCategory: template.category,
      audience: null,
      variables: spec.variables,
      headerMediaUrl: spec.headerMediaUrl,
      tags: [],
    };
  }
}

/** Pausing a paused step (or resuming a running one) is not an error for a sequence. */
function ignoreInvalidState(error: unknown): void {
  if (error instanceof DomainError && error.code === 'INVALID_STATE') return;
  throw error;
}
