import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { bearer } from './apps';
import { waitFor } from './processes';
import { DEMO_TEMPLATES } from './sandbox';

let phoneBlock = Math.floor(Math.random() * 8_000) + 1_000;

/** A valid German mobile number (libphonenumber: +49 151 + 8 digits) unique within the run. */
export function phoneFactory(): (i: number) => string {
  const block = phoneBlock++;
  return (i: number) => `+49151${String(block).padStart(4, '0')}${String(i).padStart(4, '0')}`;
}

export interface SeededAudience {
  listId: number;
  contacts: Array<{ id: number; phone: string }>;
}

/** Inserts contacts (direct SQL: fast) into a new list. `make(i)` may override name, attributes, opt-out, phone. */
export async function seedList(
  db: DataSource,
  count: number,
  make: (
    i: number,
  ) => Partial<{ phone: string; name: string | null; attributes: Record<string, string>; optedOut: boolean; country: string }> = () => ({}),
): Promise<SeededAudience> {
  const phone = phoneFactory();
  const rows = Array.from({ length: count }, (_, i) => {
    const m = make(i);
    return [
      m.phone ?? phone(i),
      m.name === undefined ? `Person ${i}` : m.name,
      m.country ?? 'DE',
      JSON.stringify(m.attributes ?? { city: 'Berlin', plan: 'Pro' }),
      m.optedOut ? 1 : 0,
    ];
  });
  for (let i = 0; i < rows.length; i += 2_000) {
    await db.query('INSERT INTO contacts (phone, name, country, attributes, opted_out) VALUES ?', [rows.slice(i, i + 2_000)]);
  }
  const phones = rows.map((r) => r[0] as string);
  const contacts: Array<{ id: number; phone: string }> = [];
  for (let i = 0; i < phones.length; i += 5_000) {
    const found: Array<{ id: string; phone: string }> = await db.query('SELECT id, phone FROM contacts WHERE phone IN (?)', [
      phones.slice(i, i + 5_000),
    ]);
    contacts.push(...found.map((f) => ({ id: Number(f.id), phone: f.phone })));
  }
  const list = await db.query('INSERT INTO contact_lists (name) VALUES (?)', [`list-${randomBytes(4).toString('hex')}`]);
  const listId = Number(list.insertId);
  for (let i = 0; i < contacts.length; i += 5_000) {
    await db.query('INSERT INTO contact_list_members (list_id, contact_id) VALUES ?', [
      contacts.slice(i, i + 5_000).map((c) => [listId, c.id]),
    ]);
  }
  return { listId, contacts: contacts.sort((a, b) => a.id - b.id) };
}

/** The sandbox's demo templates, APPROVED, not tied to a WABA. */
export async function approveDemoTemplates(db: DataSource): Promise<void> {
  for (const t of DEMO_TEMPLATES) {
    await db.query(
      `INSERT INTO templates (waba_id, name, language, category, status, parameter_format, components) VALUES ('', ?, ?, ?, 'APPROVED', ?, ?)
       ON DUPLICATE KEY UPDATE status = 'APPROVED'`,
      [t.name, t.language, t.category, t.parameter_format ?? 'POSITIONAL', JSON.stringify(t.components)],
    );
  }
}

/** A Cloud API sender through the API (its token encrypted like in production). */
export async function createSender(
  apiUrl: string,
  fields: {
    throughputMps?: number;
    messagingLimit?: number | 'unlimited';
    portfolio?: string;
    phoneNumberId?: string;
    wabaId?: string;
  } = {},
): Promise<{ id: number; phoneNumberId: string }> {
  const phoneNumberId = fields.phoneNumberId ?? `pn${randomBytes(5).toString('hex')}`;
  const res = await request(apiUrl)
    .post('/v1/senders')
    .set(bearer())
    .send({
      name: `sender ${phoneNumberId}`,
      api: 'cloud',
      phoneNumberId,
      accessToken: 'sandbox-token',
      throughputMps: fields.throughputMps ?? 1000,
      messagingLimit: fields.messagingLimit ?? 'unlimited',
      ...(fields.portfolio ? { portfolio: fields.portfolio } : {}),
      ...(fields.wabaId ? { wabaId: fields.wabaId } : {}),
    });
  if (res.status !== 201) throw new Error(`sender not created: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, phoneNumberId };
}

/** Polls GET /v1/broadcasts/:id until the broadcast is `completed`; returns its view. */
export async function broadcastCompleted(apiUrl: string, broadcastId: number, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const res = await request(apiUrl).get(`/v1/broadcasts/${broadcastId}`).set(bearer());
      if (res.status !== 200) throw new Error(`GET /v1/broadcasts/${broadcastId} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.status === 'completed' ? (res.body as Record<string, unknown>) : undefined;
    },
    timeoutMs,
    `broadcast ${broadcastId} to complete`,
  );
}

/** Recipient ledger rows of a broadcast (id order). */
export async function recipientsOf(
  db: DataSource,
  broadcastId: number,
): Promise<
  Array<{
    id: number;
    phone: string;
    dispatch_state: string;
    status: string;
    skip_reason: string | null;
    wamid: string | null;
    attempts: number;
    error_code: number | null;
  }>
> {
  const rows = await db.query(
    'SELECT id, phone, dispatch_state, status, skip_reason, wamid, attempts, error_code FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY id',
    [broadcastId],
  );
  return rows.map((r: Record<string, unknown>) => ({
    ...r,
    id: Number(r.id),
    attempts: Number(r.attempts),
    error_code: r.error_code === null ? null : Number(r.error_code),
  }));
}
