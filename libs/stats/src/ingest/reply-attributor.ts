import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Environment } from '@clarion/config';
import { OutboundEvents, writeOutbox } from '@clarion/outbound-webhooks';
import type { InboundMessageEvent } from '@clarion/whatsapp';
import { KeyedCounters, placeholders } from './transaction';

interface PendingInbound {
  id: string | number;
  contact_id: string | number | null;
  received_at: Date;
  context_wamid: string | null;
  created_at: Date;
}

interface Candidate {
  id: string | number;
  broadcast_id: number;
  replied_at: Date | null;
}

/** Meta's timestamps have whole seconds (a reply may read up to 1 s earlier than it was). */
const CLOCK_SLACK_MS = 1000;
/**
 * accepted_at is our clock, stamped once the send's answer is recorded (after WhatsApp accepted
 * it, sometimes after its first webhooks): candidates are looked up this much around the reply,
 * then compared on WhatsApp's own sent time when known.
 */
const ACCEPT_LAG_MS = 60_000;
/**
 * A reply naming a message we cannot find yet (its wamid not written) waits this long for it
 * before falling back to "the latest message sent to that phone".
 */
export const CONTEXT_GRACE_MS = 15_000;

/**
 * Stores inbound messages and counts replies: an inbound message within REPLY_WINDOW_SECONDS
 * after a recipient's message marks that recipient replied, once. `context.id` naming one of our
 * messages attributes it exactly; otherwise the most recent message sent to that contact in the
 * window gets it.
 */
@Injectable()
export class ReplyAttributor {
  private readonly windowMs: number;

  constructor(config: ConfigService<Environment, true>) {
    this.windowMs = config.get('REPLY_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  async storeAndAttribute(em: EntityManager, events: InboundMessageEvent[]): Promise<{ stored: number; attributed: number }> {
    if (events.length === 0) return { stored: 0, attributed: 0 };
    const phones = [...new Set(events.map((e) => toE164(e.from)))];
    const contacts: Array<{ id: string | number; phone: string }> = await em.query(
      `SELECT id, phone FROM contacts WHERE phone IN (${placeholders(phones.length)})`,
      phones,
    );
    const contactOf = new Map(contacts.map((c) => [c.phone, Number(c.id)]));
    const inserted = await em.query(
      `INSERT IGNORE INTO inbound_messages (wamid, phone_number_id, from_phone, contact_id, received_at, type, text, payload, context_wamid)
       VALUES ${events.map(() => '(?,?,?,?,?,?,?,?,?)').join(',')}`,
      events.flatMap((e) => {
        const phone = toE164(e.from);
        return [
          e.wamid,
          e.phoneNumberId,
          phone,
          contactOf.get(phone) ?? null,
          e.timestamp,
          e.type.slice(0, 32),
          e.text ?? null,
          e.payload?.slice(0, 1000) ?? null,
          e.contextWamid ?? null,
        ];
      }),
    );
    const wamids = [...new Set(events.map((e) => e.wamid))];
    const pending: PendingInbound[] = await em.query(
      `SELECT id, contact_id, received_at, context_wamid, created_at FROM inbound_messages
       WHERE wamid IN (${placeholders(wamids.length)}) AND recipient_id IS NULL ORDER BY id FOR UPDATE`,
      wamids,
    );
    const attributed = await this.attribute(em, pending, new Date());
    return { stored: (inserted as { affectedRows?: number }).affectedRows ?? 0, attributed };
  }

  /** Retries attribution of recent unattributed messages (the sweep); returns how many it attributed. */
  async attributePending(em: EntityManager, now: Date, lookbackMs = 10 * 60_000): Promise<number> {
    const pending: PendingInbound[] = await em.query(
      `SELECT id, contact_id, received_at, context_wamid, created_at FROM inbound_messages
       WHERE recipient_id IS NULL AND created_at >= ? AND contact_id IS NOT NULL ORDER BY id LIMIT 2000 FOR UPDATE`,
      [new Date(now.getTime() - lookbackMs)],
    );
    return this.attribute(em, pending, now);
  }

  private async attribute(em: EntityManager, pending: PendingInbound[], now: Date): Promise<number> {
    if (pending.length === 0) return 0;
    const contexts = [...new Set(pending.map((p) => p.context_wamid).filter((w): w is string => !!w))];
    const byWamid = new Map<string, Candidate & { contact_id: string | number; sent: Date | null }>();
    if (contexts.length > 0) {
      const rows = await em.query(
        `SELECT id, broadcast_id, replied_at, contact_id, wamid, COALESCE(accepted_at, sent_at) AS sent FROM broadcast_recipients
         WHERE wamid IN (${placeholders(contexts.length)}) ORDER BY id FOR UPDATE`,
        contexts,
      );
      for (const r of rows) byWamid.set(r.wamid, r);
    }

    const links: Array<{ inboundId: number; recipientId: number; broadcastId: number; at: Date }> = [];
    for (const p of pending) {
      const received = new Date(p.received_at).getTime();
      let target: Candidate | undefined;
      const exact = p.context_wamid ? byWamid.get(p.context_wamid) : undefined;
      // A reply quoting our message is after it by definition: only the window's end applies.
      if (exact && (!exact.sent || received - new Date(exact.sent).getTime() <= this.windowMs)) {
        target = exact;
      } else if (p.context_wamid && !exact && now.getTime() - new Date(p.created_at).getTime() < CONTEXT_GRACE_MS) {
        continue; // the message it quotes may not be in the ledger yet: the sweep retries
      } else if (p.contact_id !== null) {
        const candidates: Array<Candidate & { sent: Date }> = await em.query(
          `SELECT id, broadcast_id, replied_at, COALESCE(sent_at, accepted_at) AS sent FROM broadcast_recipients
           WHERE contact_id = ? AND accepted_at >= ? AND accepted_at < ? ORDER BY accepted_at DESC, id DESC LIMIT 5 FOR UPDATE`,
          [p.contact_id, new Date(received - this.windowMs - ACCEPT_LAG_MS), new Date(received + ACCEPT_LAG_MS)],
        );
        target = candidates.find((c) => {
          const sent = new Date(c.sent).getTime();
          return sent < received + CLOCK_SLACK_MS && received - sent <= this.windowMs;
        });
      }
      if (target)
        links.push({ inboundId: Number(p.id), recipientId: Number(target.id), broadcastId: target.broadcast_id, at: new Date(received) });
    }
    if (links.length === 0) return 0;

    await em.query(
      `UPDATE inbound_messages i JOIN (${links.map((_, n) => (n === 0 ? 'SELECT ? AS id, ? AS recipient_id, ? AS broadcast_id' : 'SELECT ?,?,?')).join(' UNION ALL ')}) v
       ON i.id = v.id SET i.recipient_id = v.recipient_id, i.broadcast_id = v.broadcast_id`,
      links.flatMap((l) => [l.inboundId, l.recipientId, l.broadcastId]),
    );
    await writeOutbox(em, await repliedEvents(em, links));

    // First reply per recipient; a recipient counts once however often they write.
    const first = new Map<number, { broadcastId: number; at: Date }>();
    for (const l of links) {
      const seen = first.get(l.recipientId);
      if (!seen || l.at < seen.at) first.set(l.recipientId, { broadcastId: l.broadcastId, at: l.at });
    }
    const ids = [...first.keys()].sort((a, b) => a - b);
    const unreplied: Array<{ id: string | number; broadcast_id: number; country: string | null }> = await em.query(
      `SELECT id, broadcast_id, country FROM broadcast_recipients WHERE id IN (${placeholders(ids.length)}) AND replied_at IS NULL ORDER BY id FOR UPDATE`,
      ids,
    );
    if (unreplied.length === 0) return links.length;
    await em.query(
      `UPDATE broadcast_recipients r JOIN (${unreplied.map((_, n) => (n === 0 ? 'SELECT ? AS id, ? AS at' : 'SELECT ?,?')).join(' UNION ALL ')}) v
       ON r.id = v.id SET r.replied_at = COALESCE(r.replied_at, v.at)`,
      unreplied.flatMap((u) => [u.id, first.get(Number(u.id))?.at]),
    );
    const perBroadcast = new Map<number, number>();
    for (const u of unreplied) perBroadcast.set(u.broadcast_id, (perBroadcast.get(u.broadcast_id) ?? 0) + 1);
    const broadcasts = [...perBroadcast.keys()].sort((a, b) => a - b);
    await em.query(`INSERT IGNORE INTO broadcast_stats (broadcast_id) VALUES ${broadcasts.map(() => '(?)').join(',')}`, broadcasts);
    for (const id of broadcasts) {
      await em.query('UPDATE broadcast_stats SET replied = replied + ? WHERE broadcast_id = ?', [perBroadcast.get(id), id]);
    }
    const perCountry = new KeyedCounters('broadcast_country_stats', ['broadcast_id', 'country'], ['replied'] as const);
    for (const u of unreplied) perCountry.add([u.broadcast_id, u.country ?? ''], 'replied', 1);
    await perCountry.write(em);
    return links.length;
  }
}

/** message.replied for each inbound message attributed to a recipient, with who wrote and what. */
async function repliedEvents(em: EntityManager, links: Array<{ inboundId: number; recipientId: number; broadcastId: number; at: Date }>) {
  const rows: Array<{ id: string | number; from_phone: string; type: string; text: string | null }> = await em.query(
    `SELECT id, from_phone, type, text FROM inbound_messages WHERE id IN (${placeholders(links.length)})`,
    links.map((l) => l.inboundId),
  );
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return links.map((l) => {
    const m = byId.get(l.inboundId);
    return OutboundEvents.messageReplied({
      broadcastId: Number(l.broadcastId),
      recipientId: l.recipientId,
      inboundMessageId: l.inboundId,
      receivedAt: l.at,
      phone: m?.from_phone ?? null,
      messageType: m?.type ?? null,
      text: m?.text ?? null,
    });
  });
}

/** WhatsApp ids are the phone's digits without '+'; contacts are stored in E.164. */
export function toE164(waId: string): string {
  const digits = waId.replace(/\D/g, '');
  return `+${digits}`.slice(0, 20);
}
