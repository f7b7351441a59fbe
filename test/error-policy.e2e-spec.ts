import request from 'supertest';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { startStack, type Stack } from './support/stack';

/**
 * The error policy (SenderLoop, breachesErrorPolicy) against the sandbox failing ~30% of sends:
 * most failures are reported later by webhook (131026, 131049, 131050), a few refused at once.
 * The broadcast pauses itself with a reason naming the policy; once the cause is gone, resume
 * continues it to completion, every recipient sent once.
 */
describe('error policy (SenderLoop.applyErrorPolicy)', () => {
  let stack: Stack;
  const orderUpdate = { template: { name: 'order_update', language: 'en_US' }, variables: { '1': '{{name|there}}', '2': 'E-1' } };

  beforeAll(async () => {
    stack = await startStack({
      sandbox: { defaultMps: 100_000, statuses: { sentDelayMs: 20, jitterMs: 20 } },
      webhooks: { flushIntervalMs: 20 },
    });
    await approveDemoTemplates(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const api = () => request(stack.url);
  const details = async (id: number) => (await api().get(`/v1/broadcasts/${id}`).set(bearer())).body;

  it('pauses a broadcast whose sends fail past the threshold, counting failures reported by webhook, and resumes it to completion', async () => {
    const sender = await createSender(stack.url, { throughputMps: 100 });
    const total = 1_000;
    const { contacts, listId } = await seedList(stack.db, total);
    const codes = [131026, 131049, 131050];
    const reported: Record<string, number> = {};
    const refused: Record<string, number> = {};
    contacts.forEach((c, i) => {
      const digits = c.phone.replace(/^\+/, '');
      if (i % 10 < 3 && i % 30 !== 0) reported[digits] = codes[i % 3];
      else if (i % 30 === 0) refused[digits] = 131026;
    });
    stack.sandbox.configure({ failNumbers: reported, rejectNumbers: refused });

    const created = await api()
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: 'failing audience',
        senderId: sender.id,
        audience: { listId },
        errorPolicy: { maxFailureRate: 0.2, minSample: 100 },
        ...orderUpdate,
      });
    expect(created.status).toBe(201);
    const id: number = created.body.id;

    const paused = await waitFor(
      async () => {
        const b = await details(id);
        if (b.status === 'completed') throw new Error('the broadcast completed: the error policy never paused it');
        return b.status === 'paused' ? b : undefined;
      },
      30_000,
      'the error policy to pause the broadcast',
    );
    expect(paused.statusReason).toMatch(/^error policy: \d+ of \d+ sends failed \(\d+% > 20%\)/);
    expect(paused.statusReason).toMatch(/13102|13104|13105/);
    const atPause = await recipientsOf(stack.db, id);
    expect(atPause.filter((r) => r.dispatch_state === 'pending').length).toBeGreaterThan(0);

    // Nothing more goes out while paused; every failure reported for what did go out is applied.
    await stack.sandbox.webhooksIdle();
    const sentSoFar = stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).length;
    await waitFor(
      async () => {
        const rows = await recipientsOf(stack.db, id);
        const done = rows.filter((r) => r.dispatch_state === 'accepted' && reported[r.phone.replace(/^\+/, '')] !== undefined);
        return done.length > 0 && done.every((r) => r.status === 'failed') ? true : undefined;
      },
      10_000,
      'reported failures applied',
    );
    // Refusals alone stay under the threshold: what tipped it were the failures reported by webhook.
    const judged = await recipientsOf(stack.db, id);
    const refusedAtOnce = judged.filter((r) => r.dispatch_state === 'failed').length;
    const reportedFailed = judged.filter((r) => r.dispatch_state === 'accepted' && r.status === 'failed').length;
    const attempted = refusedAtOnce + judged.filter((r) => r.dispatch_state === 'accepted').length;
    expect(refusedAtOnce / attempted).toBeLessThanOrEqual(0.2);
    expect((refusedAtOnce + reportedFailed) / attempted).toBeGreaterThan(0.2);
    expect((await details(id)).stats.failed).toBe(refusedAtOnce + reportedFailed);
    expect(stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).length).toBe(sentSoFar);

    // The cause fixed (here: the sandbox stops failing), resume goes on to the end without pausing again.
    stack.sandbox.configure({ failNumbers: {}, rejectNumbers: {} });
    const resumed = await api().post(`/v1/broadcasts/${id}/resume`).set(bearer()).send({});
    expect(resumed.status).toBe(200);
    await broadcastCompleted(stack.url, id, 40_000);

    const ledger = stack.sandbox.ledger({ phoneNumberId: sender.phoneNumberId }).map((e) => e.to.replace(/^\+/, ''));
    expect(new Set(ledger).size).toBe(ledger.length);
    const rows = await recipientsOf(stack.db, id);
    expect(rows.filter((r) => ['pending', 'claimed'].includes(r.dispatch_state))).toEqual([]);
    const refusedRows = rows.filter((r) => r.dispatch_state === 'failed');
    expect(refusedRows.length + rows.filter((r) => r.dispatch_state === 'accepted').length).toBe(total);
    expect(ledger).toHaveLength(total - refusedRows.length);
    const final = await details(id);
    expect(final.stats).toMatchObject({ total, queued: 0, skipped: 0 });
  });
});
