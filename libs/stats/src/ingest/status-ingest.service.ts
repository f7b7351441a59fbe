import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { chunk } from '@clarion/common';
import { OutboundEvent, OutboundEvents, writeOutbox } from '@clarion/outbound-webhooks';
import type { InboundMessageEvent, StatusEvent } from '@clarion/whatsapp';
import { PriceTable } from '@clarion/pricing';
import { parseCallbackData } from './callback-data';
import { changed, Membership, membershipOf, mergeStatuses, newlySet, RecipientState } from './recipient-state';
import { ReplyAttributor } from './reply-attributor';
import { inTransaction, KeyedCounters, minuteOf, placeholders } from './transaction';

/** What one call did, for logs, metrics and tests. */
export interface StatusIngestResult {
  applied: number;
  changedRecipients: number;
  parked: number;
}

export interface InboundIngestResult {
  stored: number;
  attributed: number;
}

const BATCH = 1000;
const FIGURES = ['sent', 'awaitingDelivery', 'delivered', 'read', 'failed', 'reportedFailed', 'cost'] as const;
const COLUMN: Record<(typeof FIGURES)[number], string> = {
  sent: 'sent',
  awaitingDelivery: 'awaiting_delivery',
  delivered: 'delivered',
  read: '`read`',
  failed: 'failed',
  reportedFailed: 'reported_failed',
  cost: 'cost',
};

interface RecipientRow {
  id: string | number;
  broadcast_id: number;
  phone: string;
  country: string | null;
  wamid: string | null;
  status: string;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  error_code: number | null;
  error_title: string | null;
  error_detail: string | null;
  cost: string | null;
  pricing_category: string | null;
}

const RECIPIENT_COLUMNS =
  'id, broadcast_id, phone, country, wamid, status, sent_at, delivered_at, read_at, failed_at, error_code, error_title, error_detail, cost, pricing_category';

function toState(r: RecipientRow): RecipientState {
  return {
    id: Number(r.id),
    broadcastId: r.broadcast_id,
    phone: r.phone,
    country: r.country,
    wamid: r.wamid,
    status: r.status,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    readAt: r.read_at,
    failedAt: r.failed_at,
    errorCode: r.error_code,
    errorTitle: r.error_title,
    errorDetail: r.error_detail,
    cost: r.cost === null ? null : Number(r.cost),
    pricingCategory: r.pricing_category,
  };
}

/**
 * Folds WhatsApp's status and inbound-message webhooks into the recipient ledger and the
 * broadcast counters, incrementally. Each batch is one transaction: recipient rows are read
 * and locked, the events merged (only empty timestamps are filled, so duplicates and any order
 * give the same result), changed rows written with one set-based UPDATE, and counter deltas —
 * computed from what actually changed — applied with one UPDATE per broadcast.
 *
 * A status whose wamid is not in the ledger yet (the webhook beat dispatch's write) is applied
 * through its callback data when present, else parked and applied by the sweep once the wamid
 * appears (`applyParked`). Nothing is dropped.
 */
@Injectable()
export class StatusIngestService {
  private readonly logger = new Logger(StatusIngestService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly prices: PriceTable,
    private readonly replies: ReplyAttributor,
  ) {}

  async applyStatuses(events: StatusEvent[]): Promise<StatusIngestResult> {
    const total: StatusIngestResult = { applied: 0, changedRecipients: 0, parked: 0 };
    for (const batch of chunk(events, BATCH)) {
      const r = await inTransaction(this.db, (em) => this.applyStatusBatch(em, batch));
      total.applied += r.applied;
      total.changedRecipients += r.changedRecipients;
      total.parked += r.parked;
    }
    return total;
  }

  async applyInbound(events: InboundMessageEvent[]): Promise<InboundIngestResult> {
    const total: InboundIngestResult = { stored: 0, attributed: 0 };
    for (const batch of chunk(events, BATCH)) {
      const r = await inTransaction(this.db, (em) => this.replies.storeAndAttribute(em, batch));
      total.stored += r.stored;
      total.attributed += r.attributed;
    }
    return total;
  }

  /** Applies parked statuses whose wamid is now in the ledger; returns how many were applied. */
  async applyParked(limit = 5000): Promise<number> {
    const rows: Array<{ id: string; event: string | StatusEvent }> = await this.db.query(
      `SELECT p.id, p.event FROM parked_status_events p JOIN broadcast_recipients r ON r.wamid = p.wamid ORDER BY p.id LIMIT ?`,
      [limit],
    );
    if (rows.length === 0) return 0;
    const events = rows.map((row) => reviveStatus(typeof row.event === 'string' ? JSON.parse(row.event) : row.event));
    const result = await this.applyStatuses(events);
    for (const ids of chunk(
      rows.map((r) => r.id),
      BATCH,
    )) {
      await this.db.query(`DELETE FROM parked_status_events WHERE id IN (${placeholders(ids.length)})`, ids);
    }
    if (result.parked > 0) this.logger.warn({ parked: result.parked }, 'parked statuses parked again');
    return rows.length;
  }

  /** Retries attribution of recent inbound messages that matched no message yet (the sweep). */
  attributePendingReplies(): Promise<number> {
    return inTransaction(this.db, (em) => this.replies.attributePending(em, new Date()));
  }

  private async applyStatusBatch(em: EntityManager, events: StatusEvent[]): Promise<StatusIngestResult> {
    const wamids = [...new Set(events.map((e) => e.wamid))];
    const byWamid = new Map<string, RecipientState>();
    const byId = new Map<number, RecipientState>();
    const found: RecipientRow[] = await em.query(
      `SELECT ${RECIPIENT_COLUMNS} FROM broadcast_recipients WHERE wamid IN (${placeholders(wamids.length)}) ORDER BY id FOR UPDATE`,
      wamids,
    );
    for (const row of found) {
      const s = toState(row);
      byId.set(s.id, s);
      byWamid.set(s.wamid as string, s);
    }

    const viaCallback = new Map<number, number>();
    for (const e of events) {
      if (byWamid.has(e.wamid)) continue;
      const ref = parseCallbackData(e.callbackData);
      if (ref && !byId.has(ref.recipientId)) viaCallback.set(ref.recipientId, ref.broadcastId);
    }
    if (viaCallback.size > 0) {
      const ids = [...viaCallback.keys()].sort((a, b) => a - b);
      const rows: RecipientRow[] = await em.query(
        `SELECT ${RECIPIENT_COLUMNS} FROM broadcast_recipients WHERE id IN (${placeholders(ids.length)}) ORDER BY id FOR UPDATE`,
        ids,
      );
      for (const row of rows) {
        const s = toState(row);
        if (viaCallback.get(s.id) === s.broadcastId) byId.set(s.id, s);
      }
    }

    const eventsOf = new Map<number, StatusEvent[]>();
    const toPark: StatusEvent[] = [];
    for (const e of events) {
      let target = byWamid.get(e.wamid);
      if (!target) {
        const ref = parseCallbackData(e.callbackData);
        const candidate = ref ? byId.get(ref.recipientId) : undefined;
        // A recipient already holding another wamid is not this message's (a stale callback).
        if (candidate && (candidate.wamid === null || candidate.wamid === e.wamid)) target = candidate;
      }
      if (!target) {
        toPark.push(e);
        continue;
      }
      const list = eventsOf.get(target.id) ?? [];
      list.push(e);
      eventsOf.set(target.id, list);
    }

    const updates: Array<{ before: RecipientState; after: RecipientState }> = [];
    for (const [id, list] of eventsOf) {
      const before = byId.get(id) as RecipientState;
      const after = mergeStatuses(before, list, this.prices.priceOf);
      if (changed(before, after)) updates.push({ before, after });
    }

    if (updates.length > 0) {
      await this.writeRecipients(
        em,
        updates.map((u) => u.after),
      );
      await this.bumpCounters(em, updates);
      await this.bumpMinutes(em, updates);
      await this.bumpCountries(em, updates);
      await writeOutbox(em, failedEvents(updates));
    }
    if (toPark.length > 0) await this.park(em, toPark);
    return { applied: events.length - toPark.length, changedRecipients: updates.length, parked: toPark.length };
  }

  /**
   * One set-based UPDATE for the batch. Rows were read FOR UPDATE in this transaction, so the
   * merged values are authoritative; COALESCE keeps the `IS NULL` rule on every timestamp anyway
   * (multi-table UPDATE assignments have no defined order, so none reads another's new value).
   */
  private async writeRecipients(em: EntityManager, rows: RecipientState[]): Promise<void> {
    const selects: string[] = [];
    const params: unknown[] = [];
    for (const r of rows) {
      selects.push(
        selects.length === 0
          ? 'SELECT ? AS id, ? AS wamid, ? AS status, ? AS sent_at, ? AS delivered_at, ? AS read_at, ? AS failed_at, ? AS error_code, ? AS error_title, ? AS error_detail, ? AS cost, ? AS pricing_category'
          : 'SELECT ?,?,?,?,?,?,?,?,?,?,?,?',
      );
      params.push(
        r.id,
        r.wamid,
        r.status,
        r.sentAt,
        r.deliveredAt,
        r.readAt,
        r.failedAt,
        r.errorCode,
        r.errorTitle,
        r.errorDetail,
        r.cost === null ? null : r.cost.toFixed(6),
        r.pricingCategory,
      );
    }
    await em.query(
      `UPDATE broadcast_recipients r JOIN (${selects.join(' UNION ALL ')}) v ON r.id = v.id SET
         r.wamid = COALESCE(r.wamid, v.wamid),
         r.status = v.status,
         r.sent_at = COALESCE(r.sent_at, v.sent_at),
         r.delivered_at = COALESCE(r.delivered_at, v.delivered_at),
         r.read_at = COALESCE(r.read_at, v.read_at),
         r.failed_at = COALESCE(r.failed_at, v.failed_at),
         r.error_code = v.error_code,
         r.error_title = v.error_title,
         r.error_detail = v.error_detail,
         r.pricing_category = v.pricing_category,
         r.cost = COALESCE(r.cost, v.cost)`,
      params,
    );
  }

  private async bumpCounters(em: EntityManager, updates: Array<{ before: RecipientState; after: RecipientState }>): Promise<void> {
    const deltas = new Map<number, Membership>();
    for (const { before, after } of updates) {
      const b = membershipOf(before);
      const a = membershipOf(after);
      const d = deltas.get(after.broadcastId) ?? {
        sent: 0,
        awaitingDelivery: 0,
        delivered: 0,
        read: 0,
        failed: 0,
        reportedFailed: 0,
        cost: 0,
      };
      for (const f of FIGURES) d[f] += a[f] - b[f];
      deltas.set(after.broadcastId, d);
    }
    const ids = [...deltas.keys()].sort((a, b) => a - b);
    await em.query(`INSERT IGNORE INTO broadcast_stats (broadcast_id) VALUES ${ids.map(() => '(?)').join(',')}`, ids);
    for (const id of ids) {
      const d = deltas.get(id) as Membership;
      const sets = FIGURES.filter((f) => d[f] !== 0).map((f) =>
        f === 'cost' ? `cost = cost + ?` : `${COLUMN[f]} = GREATEST(CAST(${COLUMN[f]} AS SIGNED) + ?, 0)`,
      );
      if (sets.length === 0) continue;
      const values = FIGURES.filter((f) => d[f] !== 0).map((f) => (f === 'cost' ? d[f].toFixed(6) : d[f]));
      await em.query(`UPDATE broadcast_stats SET ${sets.join(', ')} WHERE broadcast_id = ?`, [...values, id]);
    }
  }

  private async bumpMinutes(em: EntityManager, updates: Array<{ before: RecipientState; after: RecipientState }>): Promise<void> {
    const minutes = new KeyedCounters('broadcast_minute_stats', ['broadcast_id', 'minute'], [
      'sent',
      'delivered',
      'read',
      'failed',
    ] as const);
    for (const { before, after } of updates) {
      for (const [figure, at] of Object.entries(newlySet(before, after)) as Array<['sent' | 'delivered' | 'read' | 'failed', Date]>)
        minutes.add([after.broadcastId, minuteOf(at)], figure, 1);
    }
    await minutes.write(em);
  }

  /** Per-country figures; every delta here is ≥ 0 (states are only ever reached, never left). */
  private async bumpCountries(em: EntityManager, updates: Array<{ before: RecipientState; after: RecipientState }>): Promise<void> {
    const countries = new KeyedCounters(
      'broadcast_country_stats',
      ['broadcast_id', 'country'],
      ['sent', 'delivered', 'read', 'failed', 'cost'] as const,
      ['cost'],
    );
    for (const { before, after } of updates) {
      const b = membershipOf(before);
      const a = membershipOf(after);
      const key = [after.broadcastId, after.country ?? ''];
      countries.add(key, 'sent', a.sent - b.sent);
      countries.add(key, 'delivered', a.delivered - b.delivered);
      countries.add(key, 'read', a.read - b.read);
      countries.add(key, 'failed', a.reportedFailed - b.reportedFailed);
      countries.add(key, 'cost', a.cost - b.cost);
    }
    await countries.write(em);
  }

  private async park(em: EntityManager, events: StatusEvent[]): Promise<void> {
    await em.query(
      `INSERT IGNORE INTO parked_status_events (wamid, status, event) VALUES ${events.map(() => '(?,?,?)').join(',')}`,
      events.flatMap((e) => [e.wamid, e.status, JSON.stringify(e)]),
    );
  }
}

/** recipient.failed for each recipient this batch newly reported failed. */
function failedEvents(updates: Array<{ before: RecipientState; after: RecipientState }>): OutboundEvent[] {
  return updates
    .filter(({ before, after }) => newlySet(before, after).failed !== undefined)
    .map(({ after }) =>
      OutboundEvents.recipientFailed({
        broadcastId: after.broadcastId,
        recipientId: after.id,
        phone: after.phone,
        errorCode: after.errorCode,
        errorTitle: after.errorTitle,
      }),
    );
}

/** Dates come back from JSON as strings. */
function reviveStatus(raw: StatusEvent): StatusEvent {
  return {
    ...raw,
    timestamp: new Date(raw.timestamp),
    conversation: raw.conversation
      ? { ...raw.conversation, expiresAt: raw.conversation.expiresAt ? new Date(raw.conversation.expiresAt) : undefined }
      : undefined,
  };
}
