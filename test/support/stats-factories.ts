import type { DataSource } from 'typeorm';
import type { InboundMessageEvent, StatusEvent } from '../../libs/whatsapp/src';

/** A broadcast with `n` recipients already accepted by WhatsApp (wamid written), straight into the ledger. */
export async function seedAcceptedBroadcast(
  db: DataSource,
  opts: { n: number; name?: string; country?: string; tags?: string[]; senderId?: number; templateName?: string; withWamid?: boolean },
): Promise<{ broadcastId: number; recipients: Array<{ id: number; contactId: number; phone: string; wamid: string }> }> {
  const res = await db.query(
    `INSERT INTO broadcasts (name, sender_id, template_id, template_name, template_language, template_category, status, tags, started_at)
     VALUES (?, ?, 1, ?, 'en', 'MARKETING', 'running', ?, NOW(3))`,
    [opts.name ?? `stats test ${Date.now()}`, opts.senderId ?? 1, opts.templateName ?? 'promo', JSON.stringify(opts.tags ?? [])],
  );
  const broadcastId = Number(res.insertId);
  const recipients: Array<{ id: number; contactId: number; phone: string; wamid: string }> = [];
  for (let i = 0; i < opts.n; i++) {
    const phone = `+9198${String(broadcastId).padStart(4, '0')}${String(i).padStart(4, '0')}`;
    const c = await db.query(
      `INSERT INTO contacts (phone, name, country) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)`,
      [phone, `C${i}`, opts.country ?? 'IN'],
    );
    const contactId = Number(c.insertId);
    const wamid = `wamid.b${broadcastId}r${i}`;
    const r = await db.query(
      `INSERT INTO broadcast_recipients (broadcast_id, contact_id, phone, country, dispatch_state, status, wamid, accepted_at)
       VALUES (?, ?, ?, ?, 'accepted', 'queued', ?, NOW(3) - INTERVAL 2 SECOND)`,
      [broadcastId, contactId, phone, opts.country ?? 'IN', opts.withWamid === false ? null : wamid],
    );
    recipients.push({ id: Number(r.insertId), contactId, phone, wamid });
  }
  await db.query('INSERT INTO broadcast_stats (broadcast_id, total, accepted) VALUES (?, ?, ?)', [
    broadcastId,
    opts.n,
    opts.withWamid === false ? 0 : opts.n,
  ]);
  return { broadcastId, recipients };
}

export function statusEvent(wamid: string, status: StatusEvent['status'], at: Date, extra: Partial<StatusEvent> = {}): StatusEvent {
  return { kind: 'status', phoneNumberId: 'PNID', wamid, status, timestamp: at, recipientId: '91', ...extra };
}

export function inboundEvent(wamid: string, fromE164: string, at: Date, extra: Partial<InboundMessageEvent> = {}): InboundMessageEvent {
  return {
    kind: 'inbound',
    phoneNumberId: 'PNID',
    wamid,
    from: fromE164.replace('+', ''),
    timestamp: at,
    type: 'text',
    text: 'hi',
    ...extra,
  };
}

export async function storedStats(db: DataSource, broadcastId: number): Promise<Record<string, number>> {
  const [row] = await db.query(
    'SELECT total, accepted, sent, awaiting_delivery AS awaitingDelivery, delivered, `read`, replied, failed, skipped, cost FROM broadcast_stats WHERE broadcast_id = ?',
    [broadcastId],
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}
