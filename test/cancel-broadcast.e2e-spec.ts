import request from 'supertest';
import { bearer } from './support/apps';
import { approveDemoTemplates, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';

/**
 * Cancelling a broadcast ends its unsent recipients `cancelled` (BroadcastLifecycle.cancel, and
 * the recovery tick for a batch that was in flight): nothing stays pending, `queued` is 0, the
 * cancelled are counted in the stats and listed by status, and none of them reaches WhatsApp.
 */
describe('cancel (BroadcastLifecycle.cancel, RecipientsRepository.cancelUnsent)', () => {
  let stack: Stack;
  const orderUpdate = { template: { name: 'order_update', language: 'en_US' }, variables: { '1': '{{name|there}}', '2': 'C-1' } };

  beforeAll(async () => {
    stack = await startStack({ sandbox: { defaultMps: 100_000 } });
    await approveDemoTemplates(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const api = () => request(stack.url);
  const details = async (id: number) => (await api().get(`/v1/broadcasts/${id}`).set(bearer())).body;
  const create = async (senderId: number, listId: number) => {
    const res = await api()
      .post('/v1/broadcasts')
      .set(bearer())
      .send({ name: 'cancel me', senderId, audience: { listId }, ...orderUpdate });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };

  it('a running broadcast: unsent recipients end cancelled, queued 0, counted in stats, none of them sent', async () => {
    const sender = await createSender(stack.url, { throughputMps: 40 });
    const { listId } = await seedList(stack.db, 400);
    const id = await create(sender.id, listId);
    await waitFor(() => (stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).length >= 40 ? true : undefined), 15_000, 'sends');

    const cancelled = await api().post(`/v1/broadcasts/${id}/cancel`).set(bearer()).send({});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    // A batch in flight at the cancel finishes; what it did not send is handed back and swept.
    const b = await waitFor(
      async () => {
        const d = await details(id);
        const open = await stack.db.query(
          "SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND dispatch_state IN ('pending','claimed') LIMIT 1",
          [id],
        );
        return d.stats.queued === 0 && open.length === 0 ? d : undefined;
      },
      20_000,
      'nothing left queued',
    );
    const rows = await recipientsOf(stack.db, id);
    const accepted = rows.filter((r) => r.dispatch_state === 'accepted');
    const gone = rows.filter((r) => r.dispatch_state === 'cancelled');
    expect(rows).toHaveLength(400);
    expect(accepted.length + gone.length).toBe(400);
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((r) => r.status === 'cancelled' && r.wamid === null)).toBe(true);
    expect(b.status).toBe('cancelled');
    expect(b.stats).toMatchObject({ total: 400, queued: 0, skipped: 0, cancelled: gone.length });

    const sentTo = new Set(stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).map((e) => `+${e.to.replace(/^\+/, '')}`));
    expect(sentTo.size).toBe(accepted.length);
    expect(gone.filter((r) => sentTo.has(r.phone))).toEqual([]);

    const listed = await api().get(`/v1/broadcasts/${id}/recipients?status=cancelled&limit=500`).set(bearer());
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(gone.length);
    const history = await api().get('/v1/broadcasts').set(bearer());
    const summary = history.body.data.find((h: { id: number }) => h.id === id);
    expect(summary.stats).toMatchObject({ total: 400, queued: 0, cancelled: gone.length });
  });

  /** A broadcast of `size` at 20 msg/s, paused once fan-out is done and no batch is in flight. */
  async function pausedAfterFanOut(size: number): Promise<{ id: number; sender: { id: number; phoneNumberId: string } }> {
    const sender = await createSender(stack.url, { throughputMps: 20 });
    const { listId } = await seedList(stack.db, size);
    const id = await create(sender.id, listId);
    await waitFor(async () => ((await details(id)).status === 'running' ? true : undefined), 10_000, 'running');
    expect((await api().post(`/v1/broadcasts/${id}/pause`).set(bearer()).send({})).status).toBe(200);
    await waitFor(
      async () => {
        const [row] = await stack.db.query('SELECT fanout_done_at FROM broadcasts WHERE id = ?', [id]);
        const claimed = await stack.db.query("SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ? AND dispatch_state = 'claimed'", [
          id,
        ]);
        return row.fanout_done_at && claimed.length === 0 ? true : undefined;
      },
      10_000,
      'fan-out done, no batch in flight',
    );
    return { id, sender };
  }

  it('a paused broadcast: every unsent recipient is cancelled by the cancel call itself', async () => {
    const { id } = await pausedAfterFanOut(120);
    const sentBefore = (await recipientsOf(stack.db, id)).filter((r) => r.dispatch_state === 'accepted').length;

    expect((await api().post(`/v1/broadcasts/${id}/cancel`).set(bearer()).send({})).status).toBe(200);
    const b = await details(id);
    expect(b.stats).toMatchObject({ total: 120, queued: 0, cancelled: 120 - sentBefore });
    expect(b.progress.total).toBe(sentBefore);
    const states = await stack.db.query(
      'SELECT dispatch_state AS state, COUNT(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY dispatch_state',
      [id],
    );
    expect(Object.fromEntries(states.map((s: { state: string; n: string }) => [s.state, Number(s.n)]))).toEqual(
      sentBefore > 0 ? { accepted: sentBefore, cancelled: 120 - sentBefore } : { cancelled: 120 },
    );
    expect((await api().post(`/v1/broadcasts/${id}/resume`).set(bearer()).send({})).status).toBe(409);
  });

  it("recipients handed back after the cancel (a dead worker's claims) end cancelled by the recovery tick", async () => {
    const { id, sender } = await pausedAfterFanOut(60);
    // A worker that died holding a batch: its claims are older than the lease and nobody renews them.
    const held = await stack.db.query(
      `UPDATE broadcast_recipients SET dispatch_state = 'claimed', claimed_by = 'gone:1:dead', claim_token = 'deadbeefdeadbeef',
         claimed_at = NOW(3) - INTERVAL 1 HOUR WHERE broadcast_id = ? AND dispatch_state = 'pending' ORDER BY id LIMIT 5`,
      [id],
    );
    expect(Number(held.affectedRows)).toBe(5);
    const sentBefore = (await recipientsOf(stack.db, id)).filter((r) => r.dispatch_state === 'accepted').length;

    expect((await api().post(`/v1/broadcasts/${id}/cancel`).set(bearer()).send({})).status).toBe(200);
    expect((await recipientsOf(stack.db, id)).filter((r) => r.dispatch_state === 'claimed')).toHaveLength(5);
    const b = await waitFor(
      async () => {
        const d = await details(id);
        return d.stats.cancelled === 60 - sentBefore ? d : undefined;
      },
      20_000,
      'the handed-back claims to be cancelled',
    );
    expect(b.stats).toMatchObject({ total: 60, queued: 0 });
    const rows = await recipientsOf(stack.db, id);
    expect(rows.filter((r) => r.dispatch_state === 'cancelled')).toHaveLength(60 - sentBefore);
    expect(stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId })).toHaveLength(sentBefore);
  });
});
