import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { type AudienceContact, zoneOfContact } from '@clarion/contacts';
import { MessageRenderer } from '@clarion/templates';
import { BroadcastAudienceReader } from '../audience/broadcast-audience-reader';
import { Broadcast } from '../entities/broadcast.entity';
import { affected, BroadcastsRepository } from '../repositories/broadcasts.repository';
import { RecipientsRepository } from '../repositories/recipients.repository';
import { SendableTemplatesRepository } from '../repositories/sendable-templates.repository';
import { DispatchSignal } from '../scheduling/dispatch-signal';
import { localSendAt, wallClockOf } from '../scheduling/recipient-local-time';
import { PlannedRecipient, RecipientPlanner, RecipientTiming } from './recipient-planner';

export const FAN_OUT_CHUNK = 2_000;

/**
 * Materialises a broadcast's recipients: the audience read a chunk at a time, each contact
 * planned (rendered or skipped with a reason), the chunk inserted together with the fan-out
 * cursor in one transaction — a crash resumes at the next chunk, never counts twice.
 */
@Injectable()
export class FanOutService {
  private readonly logger = new Logger(FanOutService.name);

  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly templates: SendableTemplatesRepository,
    private readonly audience: BroadcastAudienceReader,
    private readonly signal: DispatchSignal,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The planner of a broadcast (its template compiled with its mapping). */
  async plannerFor(broadcast: Broadcast): Promise<RecipientPlanner> {
    const template = await this.templates.findById(broadcast.templateId);
    if (!template) throw DomainError.notFound('template', broadcast.templateId);
    return new RecipientPlanner(
      MessageRenderer.compile(template, broadcast.variables, broadcast.headerMediaUrl),
      broadcast.kind === 'broadcast',
      this.timingOf(broadcast),
    );
  }

  /**
   * Recipient-local time: each recipient is due when their own clock shows scheduledAt's
   * wall-clock time (zone as for sequences: the `timezone` attribute, the phone's country's, the
   * broadcast's, UTC), held in next_attempt_at, which claims respect; the zone is kept for the
   * quiet-hours check at claim time. Null for broadcasts where no recipient's clock matters.
   */
  private timingOf(b: Broadcast): RecipientTiming | null {
    if (b.kind !== 'broadcast') return null;
    const local = b.sendAt === 'recipient_local' && b.scheduledAt !== null;
    if (!local && !b.quietHours) return null;
    const wall = local ? wallClockOf(b.scheduledAt!, b.timezone) : null;
    const due = new Map<string, Date | null>();
    return {
      zoneOf: (contact) => zoneOfContact(contact, b.timezone),
      dueAt: (zone) => {
        if (!wall) return null;
        if (!due.has(zone)) due.set(zone, localSendAt(wall, zone, new Date(), b.localTimePassed ?? 'now'));
        return due.get(zone)!;
      },
    };
  }

  /** Fans out from the stored cursor to the end of the audience; stops early if the broadcast is cancelled or another worker moved the cursor. */
  async materialise(broadcastId: number): Promise<void> {
    let broadcast = await this.broadcasts.getById(broadcastId);
    if (broadcast.kind !== 'broadcast' || broadcast.fanoutDoneAt || !broadcast.audience) return;
    const planner = await this.plannerFor(broadcast);
    let cursor = broadcast.fanoutCursor;
    for (;;) {
      if (['cancelled', 'failed', 'completed'].includes(broadcast.status)) return;
      const contacts = await this.audience.readChunk(broadcast.audience!, cursor, FAN_OUT_CHUNK);
      if (contacts.length === 0) break;
      const next = contacts[contacts.length - 1].id;
      const moved = await this.db.transaction('READ COMMITTED', async (m) => {
        const claimed = affected(
          await m.query('UPDATE broadcasts SET fanout_cursor = ? WHERE id = ? AND fanout_cursor = ?', [next, broadcastId, cursor]),
        );
        if (claimed === 0) return false;
        const seen = await this.recipients.existingPhones(
          broadcastId,
          contacts.map((c) => c.phone),
          m,
        );
        await this.recipients.insertChunk(
          m,
          broadcastId,
          planner.plan(
            contacts.map((contact) => ({ contact, enrollmentId: 0 })),
            seen,
          ),
        );
        return true;
      });
      if (!moved) {
        this.logger.warn({ broadcastId }, 'fan-out cursor moved by another worker; leaving it the work');
        return;
      }
      cursor = next;
      await this.signal.nudge(broadcastId);
      broadcast = await this.broadcasts.getById(broadcastId);
    }
    await this.db.query('UPDATE broadcasts SET fanout_done_at = NOW(3) WHERE id = ? AND fanout_done_at IS NULL', [broadcastId]);
    await this.signal.nudge(broadcastId);
  }

  /**
   * Adds recipients to a running `sequence_step` broadcast (see the package docs for `appendRecipients`).
   * Idempotent per (broadcast, contact, enrolment); returns what was new.
   */
  async append(
    broadcastId: number,
    items: Array<{ contact: AudienceContact; enrollmentId: number }>,
  ): Promise<{ inserted: number; skipped: number; planned: PlannedRecipient[] }> {
    const broadcast = await this.broadcasts.getById(broadcastId);
    const planner = await this.plannerFor(broadcast);
    const planned = planner.plan(items, new Set());
    const result = await this.db.transaction('READ COMMITTED', (m) => this.recipients.insertChunk(m, broadcastId, planned));
    if (result.inserted > result.skipped) await this.signal.nudge(broadcastId);
    return { ...result, planned };
  }
}
