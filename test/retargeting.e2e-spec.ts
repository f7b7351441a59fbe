import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { Sandbox } from './support/sandbox';
import { waitFor } from './support/processes';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender } from './support/broadcast-fixtures';
import { startStack, type Stack } from './support/stack';

/**
 * Re-targeting end to end: a broadcast through dispatch and the sandbox, whose recipients fail
 * with given codes (by webhook and refused at once), stay unread, read or reply; then audiences
 * taken from it, "retry failed" and "save as list".
 */
describe('Re-targeting an earlier broadcast (e2e)', () => {
  let stack: Stack;
  let sandbox: Sandbox;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let senderId: number;
  let source: number;
  let analyst: string;
  const base = randomInt(90_000_000);
  const phones = Array.from({ length: 12 }, (_, i) => `9196${String(base + i).padStart(8, '0')}`);
  const contactIds: number[] = [];
  const template = { name: 'hello_world', language: 'en_US' };
  /** Contacts by role in the source broadcast (indexes into phones). */
  const who = {
    invalidByWebhook: 0, // failed 131026
    invalidAtOnce: 1, // refused 131026
    stoppedMarketing: 2, // failed 131050
    transient: 3, // failed 131000: a retry can succeed
    templateRefused: 4, // refused 132000: not the recipient's fault
    optedOutSince: 5, // failed 131000, then opted out
    unread: [6, 7],
    repliers: [8, 9],
    readers: [10, 11],
  };

  async function broadcastToCompletion(body: Record<string, unknown>): Promise<number> {
    const created = await http
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name: `rt ${randomInt(1e9)}`, senderId, template, variables: {}, ...body })
      .expect(201);
    await waitForCompletion(created.body.id);
    return created.body.id;
  }
  async function waitForCompletion(id: number): Promise<void> {
    await broadcastCompleted(stack.url, id);
    await sandbox.webhooksIdle();
  }
  const phonesOf = (indexes: number[]) => indexes.map((i) => `+${phones[i]}`).sort();

  beforeAll(async () => {
    stack = await startStack({
      env: { STATS_SWEEP_INTERVAL_MS: '300' },
      webhooks: { flushIntervalMs: 20, maxBatch: 50 },
      sandbox: {
        statuses: { sentDelayMs: 0, deliveredDelayMs: 20, readDelayMs: 40, jitterMs: 10, deliveredProbability: 1, readProbability: 1 },
        replyDelayMs: 0,
        failNumbers: {
          [phones[who.invalidByWebhook]]: 131026,
          [phones[who.stoppedMarketing]]: 131050,
          [phones[who.transient]]: 131000,
          [phones[who.optedOutSince]]: 131000,
        },
        rejectNumbers: { [phones[who.invalidAtOnce]]: 131026, [phones[who.templateRefused]]: 132000 },
        unreadNumbers: who.unread.map((i) => phones[i]),
        replyNumbers: Object.fromEntries(who.repliers.map((i) => [phones[i], 'Tell me more'])),
      },
      beforeWorker: async ({ url }) => {
        senderId = (await createSender(url, { throughputMps: 500 })).id;
      },
    });
    ({ sandbox, db } = stack);
    http = request(stack.api.getHttpServer());
    await approveDemoTemplates(db);
    for (const p of phones) {
      const res = await db.query("INSERT INTO contacts (phone, name, country) VALUES (?, 'R', 'IN')", [`+${p}`]);
      contactIds.push(Number(res.insertId));
    }
    analyst = (await http.post('/v1/tokens').set(bearer()).send({ name: 'rt-analyst', role: 'analyst' }).expect(201)).body.token;

    source = await broadcastToCompletion({ audience: { contactIds } });
    await waitFor(
      async () => {
        const [row] = await db.query('SELECT SUM(replied_at IS NOT NULL) AS n FROM broadcast_recipients WHERE broadcast_id = ?', [source]);
        return Number(row.n) === who.repliers.length;
      },
      15_000,
      'the replies to be attributed',
    );
    await db.query('UPDATE contacts SET opted_out = 1, opted_out_at = NOW(3) WHERE id = ?', [contactIds[who.optedOutSince]]);
    sandbox.configure({ failNumbers: {}, rejectNumbers: {} });
  }, 90_000);

  afterAll(() => stack?.close());

  it('the source broadcast ended as the sandbox played it', async () => {
    const rows: Array<{ phone: string; status: string; error_code: number | null }> = await db.query(
      'SELECT phone, status, error_code FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY phone',
      [source],
    );
    const byPhone = Object.fromEntries(rows.map((r) => [r.phone, [r.status, r.error_code === null ? null : Number(r.error_code)]]));
    expect(byPhone[`+${phones[who.invalidByWebhook]}`]).toEqual(['failed', 131026]);
    expect(byPhone[`+${phones[who.invalidAtOnce]}`]).toEqual(['failed', 131026]);
    expect(byPhone[`+${phones[who.templateRefused]}`]).toEqual(['failed', 132000]);
    expect(byPhone[`+${phones[who.unread[0]]}`]).toEqual(['delivered', null]);
    expect(byPhone[`+${phones[who.readers[0]]}`]).toEqual(['read', null]);
  });

  it('an audience of the recipients in some statuses: who did not read, who failed, who replied', async () => {
    const draft = async (statuses: string[]) =>
      (
        await http
          .post('/v1/broadcasts')
          .set(bearer())
          .send({ name: 'follow-up', senderId, template, variables: {}, audience: { broadcastId: source, statuses }, draft: true })
          .expect(201)
      ).body;
    expect(await draft(['delivered'])).toMatchObject({
      status: 'draft',
      audience: { broadcastId: source, statuses: ['delivered'] },
      audienceCount: 2,
    });
    expect((await draft(['failed'])).audienceCount).toBe(6);
    expect((await draft(['replied'])).audienceCount).toBe(2);
    expect((await draft(['read', 'delivered'])).audienceCount).toBe(6);

    const dry = await http
      .post('/v1/broadcasts/dry-run')
      .set(bearer())
      .send({ name: 'dry', senderId, template, variables: {}, audience: { broadcastId: source, statuses: ['delivered', 'replied'] } })
      .expect(200);
    expect(dry.body).toMatchObject({ total: 4, wouldSend: 4 });
    expect(dry.body.samples.map((s: { phone: string }) => s.phone).sort()).toEqual(phonesOf([...who.unread, ...who.repliers]));

    // reaching who did not read: sent to exactly those two
    const before = (await sandbox.ledger({})).length;
    const reminder = await broadcastToCompletion({ audience: { broadcastId: source, statuses: ['delivered'] } });
    const sent: Array<{ phone: string }> = await db.query(
      "SELECT phone FROM broadcast_recipients WHERE broadcast_id = ? AND status <> 'skipped'",
      [reminder],
    );
    expect(sent.map((r) => r.phone).sort()).toEqual(phonesOf(who.unread));
    expect(
      (await sandbox.ledger({}))
        .slice(before)
        .map((e) => `+${e.to.replace(/^\+/, '')}`)
        .sort(),
    ).toEqual(phonesOf(who.unread));
  });

  it('refuses malformed re-targeting audiences with 400 and an unknown broadcast with 404', async () => {
    const send = (audience: unknown) =>
      http.post('/v1/broadcasts').set(bearer()).send({ name: 'bad', senderId, template, variables: {}, audience, draft: true });
    expect((await send({ broadcastId: source, statuses: ['opened'] }).expect(400)).body.message).toContain('is not one of');
    expect((await send({ broadcastId: source, statuses: [] }).expect(400)).body.message).toContain('audience.statuses');
    expect((await send({ broadcastId: 'x', statuses: ['read'] }).expect(400)).body.message).toContain('audience.broadcastId');
    expect((await send({ broadcastId: source, statuses: ['read'], listId: 1 }).expect(400)).body.message).toContain('listId');
    await send({ broadcastId: 999_999_999, statuses: ['read'] }).expect(404);
  });

  it('retry-failed drafts the failures a retry can fix (not 131026, 131050 or opt-outs), and the retry reaches them', async () => {
    const res = await http.post(`/v1/broadcasts/${source}/retry-failed`).set(bearer()).expect(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      name: expect.stringContaining('(retry failed)'),
      audience: { broadcastId: source, statuses: ['failed'], retryable: true },
      audienceCount: 2,
      senderId,
      template: expect.objectContaining({ name: 'hello_world' }),
    });
    const before = (await sandbox.ledger({})).length;
    await http.patch(`/v1/broadcasts/${res.body.id}`).set(bearer()).send({ draft: false }).expect(200);
    await waitForCompletion(res.body.id);
    // Completed means WhatsApp took every send; their read receipts come by webhook after.
    const rows = await waitFor(
      async () => {
        const got: Array<{ phone: string; status: string }> = await db.query(
          'SELECT phone, status FROM broadcast_recipients WHERE broadcast_id = ? ORDER BY phone',
          [res.body.id],
        );
        return got.every((r) => r.status === 'read') ? got : undefined;
      },
      15_000,
      'the retry to be read',
    );
    expect(rows.map((r) => r.phone)).toEqual(phonesOf([who.transient, who.templateRefused]));
    expect(
      (await sandbox.ledger({}))
        .slice(before)
        .map((e) => `+${e.to.replace(/^\+/, '')}`)
        .sort(),
    ).toEqual(phonesOf([who.transient, who.templateRefused]));

    // nothing left to retry: the retry's own failures are none
    const none = await http.post(`/v1/broadcasts/${res.body.id}/retry-failed`).set(bearer()).expect(409);
    expect(none.body.message).toContain('no failed recipients that a retry could reach');
    await http.post('/v1/broadcasts/999999999/retry-failed').set(bearer()).expect(404);
  });

  it('saves the recipients in some statuses as a contact list, adding to it idempotently', async () => {
    const name = `readers ${randomInt(1e9)}`;
    const saved = await http
      .post(`/v1/broadcasts/${source}/recipients/list`)
      .set(bearer())
      .send({ statuses: ['read', 'replied'], name })
      .expect(201);
    expect(saved.body).toMatchObject({ id: expect.any(Number), name, size: 4, added: 4 });
    const members: Array<{ contact_id: number }> = await db.query(
      'SELECT contact_id FROM contact_list_members WHERE list_id = ? ORDER BY contact_id',
      [saved.body.id],
    );
    expect(members.map((m) => Number(m.contact_id))).toEqual(
      [...who.repliers, ...who.readers].map((i) => contactIds[i]).sort((a, b) => a - b),
    );

    const again = await http
      .post(`/v1/broadcasts/${source}/recipients/list`)
      .set(bearer())
      .send({ statuses: ['replied'], name })
      .expect(201);
    expect(again.body).toMatchObject({ id: saved.body.id, size: 4, added: 0 });
    // the list is an audience like any other
    const fromList = await http
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name: 'to the list', senderId, template, variables: {}, audience: { listId: saved.body.id }, draft: true })
      .expect(201);
    expect(fromList.body.audienceCount).toBe(4);

    const bad = await http
      .post(`/v1/broadcasts/${source}/recipients/list`)
      .set(bearer())
      .send({ statuses: ['opened'], name })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('statuses must hold');
    await http
      .post(`/v1/broadcasts/${source}/recipients/list`)
      .set(bearer())
      .send({ statuses: ['read'] })
      .expect(400);
    await http
      .post('/v1/broadcasts/999999999/recipients/list')
      .set(bearer())
      .send({ statuses: ['read'], name })
      .expect(404);
  });

  it('analysts may not re-target (403)', async () => {
    await http.post(`/v1/broadcasts/${source}/retry-failed`).set(bearer(analyst)).expect(403);
    await http
      .post(`/v1/broadcasts/${source}/recipients/list`)
      .set(bearer(analyst))
      .send({ statuses: ['read'], name: 'nope' })
      .expect(403);
  });
});
