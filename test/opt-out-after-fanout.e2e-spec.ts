import request from 'supertest';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';

/**
 * Opt-out is checked when recipients are claimed, not only at fan-out: contacts who opt out
 * after their broadcast was fanned out (by the API, or by a STOP reply the sandbox posts as an
 * inbound webhook) are not sent, end `skipped` with reason `opted_out`, and are counted in the
 * broadcast's stats; a test send to an opted-out number is refused with 409.
 */
describe('opt-out after fan-out (RecipientClaims.claim, TestSend)', () => {
  let stack: Stack;
  const orderUpdate = { template: { name: 'order_update', language: 'en_US' }, variables: { '1': '{{name|there}}', '2': 'A-1' } };

  beforeAll(async () => {
    stack = await startStack({
      sandbox: {
        defaultMps: 100_000,
        statuses: { sentDelayMs: 10, deliveredDelayMs: 20, readDelayMs: 30, jitterMs: 0, deliveredProbability: 1, readProbability: 1 },
        replyDelayMs: 10,
      },
      webhooks: { flushIntervalMs: 20 },
    });
    await approveDemoTemplates(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const api = () => request(stack.url);
  const details = async (id: number) => (await api().get(`/v1/broadcasts/${id}`).set(bearer())).body;

  it('does not send contacts who opted out after fan-out, skips them as opted_out and counts them; refuses a test send to them', async () => {
    const sender = await createSender(stack.url, { throughputMps: 20 });
    // A second number sends the messages the STOP replies answer, so the broadcast's sender ledger holds only the broadcast.
    const probe = await createSender(stack.url);
    const { listId } = await seedList(stack.db, 80);

    const created = await api()
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name: 'opt-out after fan-out', senderId: sender.id, audience: { listId }, ...orderUpdate });
    expect(created.status).toBe(201);
    const id: number = created.body.id;
    await waitFor(async () => ((await details(id)).status === 'running' ? true : undefined), 10_000, 'broadcast running');
    expect((await api().post(`/v1/broadcasts/${id}/pause`).set(bearer()).send({})).status).toBe(200);
    await waitFor(
      async () => {
        const [b] = await stack.db.query('SELECT fanout_done_at FROM broadcasts WHERE id = ?', [id]);
        const claimed = await stack.db.query("SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND dispatch_state = 'claimed'", [
          id,
        ]);
        return b.fanout_done_at && claimed.length === 0 ? true : undefined;
      },
      10_000,
      'fan-out done and no batch in flight',
    );
    const pending = (await recipientsOf(stack.db, id)).filter((r) => r.dispatch_state === 'pending');
    expect(pending.length).toBeGreaterThanOrEqual(40);
    const byApi = pending.slice(0, 6);
    const byStop = pending.slice(6, 12);
    const optedOut = new Set([...byApi, ...byStop].map((r) => r.phone));

    const ids: Array<{ id: string; phone: string }> = await stack.db.query('SELECT id, phone FROM contacts WHERE phone IN (?)', [
      byApi.map((r) => r.phone),
    ]);
    for (const c of ids) {
      const res = await api().patch(`/v1/contacts/${c.id}`).set(bearer()).send({ optedOut: true });
      expect(res.status).toBe(200);
      expect(res.body.optedOut).toBe(true);
    }

    // STOP by inbound webhook: the sandbox answers "STOP" to a message it delivered and read.
    stack.sandbox.configure({ stopNumbers: byStop.map((r) => r.phone.replace(/^\+/, '')) });
    for (const r of byStop) {
      const res = await api()
        .post('/v1/broadcasts/test-send')
        .set(bearer())
        .send({ senderId: probe.id, phone: r.phone, ...orderUpdate });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
    }
    await waitFor(
      async () => {
        const rows = await stack.db.query('SELECT COUNT(*) AS n FROM contacts WHERE phone IN (?) AND opted_out = 1', [
          byStop.map((r) => r.phone),
        ]);
        return Number(rows[0].n) === byStop.length ? true : undefined;
      },
      15_000,
      'STOP replies to opt the contacts out',
    );

    const refused = await api()
      .post('/v1/broadcasts/test-send')
      .set(bearer())
      .send({ senderId: probe.id, phone: byStop[0].phone, ...orderUpdate });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/opted out/);

    expect((await api().post(`/v1/broadcasts/${id}/resume`).set(bearer()).send({})).status).toBe(200);
    await broadcastCompleted(stack.url, id, 30_000);
    await stack.sandbox.webhooksIdle();

    const sentTo = stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).map((e) => `+${e.to.replace(/^\+/, '')}`);
    expect(sentTo.filter((p) => optedOut.has(p))).toEqual([]);
    expect(new Set(sentTo).size).toBe(sentTo.length);
    expect(sentTo).toHaveLength(80 - optedOut.size);

    const rows = await recipientsOf(stack.db, id);
    const skipped = rows.filter((r) => r.dispatch_state === 'skipped');
    expect(skipped.map((r) => r.phone).sort()).toEqual([...optedOut].sort());
    expect(skipped.every((r) => r.status === 'skipped' && r.skip_reason === 'opted_out')).toBe(true);

    const recipients = await api().get(`/v1/broadcasts/${id}/recipients?status=skipped`).set(bearer());
    expect(recipients.status).toBe(200);
    expect(recipients.body.data.map((r: { skipReason: string }) => r.skipReason)).toEqual(Array(optedOut.size).fill('opted_out'));

    await waitFor(async () => ((await details(id)).stats.sent === 80 - optedOut.size ? true : undefined), 10_000, 'sent statuses');
    const { stats } = await details(id);
    expect(stats).toMatchObject({ total: 80, queued: 0, sent: 80 - optedOut.size, failed: 0, skipped: optedOut.size });
    expect(stats.sent + stats.failed + stats.skipped + stats.queued).toBe(stats.total);
  });
});
