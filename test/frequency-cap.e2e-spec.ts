import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { bearer } from './support/apps';
import { broadcastCompleted, createSender, recipientsOf, seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import type { Sandbox } from './support/sandbox';
import { startStack, type Stack } from './support/stack';

/**
 * The workspace's frequency cap end to end (FREQUENCY_CAP_MESSAGES=2 in FREQUENCY_CAP_DAYS=7):
 * marketing messages accepted by WhatsApp in broadcasts and sequence steps count; utility ones
 * neither count nor are capped; a message older than the period no longer counts; a recipient
 * over the cap is skipped `frequency_capped` when dispatch claims it, and the sandbox never sees it.
 */
describe('frequency cap (API + worker + sandbox)', () => {
  let stack: Stack;
  let sandbox: Sandbox;
  let url: string;
  let db: DataSource;
  const marketing = `promo_${randomInt(1e9)}`;
  const utility = `notice_${randomInt(1e9)}`;

  beforeAll(async () => {
    stack = await startStack({
      sandbox: { templates: null },
      env: { SEQUENCE_TICK_MS: '300', FREQUENCY_CAP_MESSAGES: '2', FREQUENCY_CAP_DAYS: '7' },
    });
    ({ sandbox, url, db } = stack);
    for (const [name, category] of [
      [marketing, 'MARKETING'],
      [utility, 'UTILITY'],
    ])
      await db.query(
        "INSERT INTO templates (waba_id, name, language, category, status, parameter_format, components) VALUES ('', ?, 'en', ?, 'APPROVED', 'POSITIONAL', ?)",
        [name, category, JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}' }])],
      );
  });

  afterAll(() => stack?.close());

  const post = (path: string, body: unknown) =>
    request(url)
      .post(path)
      .set(bearer())
      .send(body as object);
  async function broadcast(senderId: number, listId: number, template: string): Promise<number> {
    const res = await post('/v1/broadcasts', {
      name: `${template} ${randomInt(1e9)}`,
      senderId,
      template: { name: template, language: 'en' },
      audience: { listId },
      variables: { '1': '{{name}}' },
    });
    expect(res.status).toBe(201);
    await broadcastCompleted(url, res.body.id, 20_000);
    return res.body.id;
  }

  it('skips, as frequency_capped, contacts that already got the most marketing messages of the period', async () => {
    const sender = await createSender(url);
    const { listId, contacts } = await seedList(db, 4);
    const [a, b, c, d] = contacts;
    const first = await broadcast(sender.id, listId, marketing);
    await broadcast(sender.id, listId, utility);

    // A sequence step (marketing) reaches a, b and c: they are at 2 marketing messages now.
    const seq = await post('/v1/sequences', {
      name: `cap seq ${randomInt(1e9)}`,
      senderId: sender.id,
      steps: [{ template: { name: marketing, language: 'en' }, variables: { '1': '{{name}}' }, delay: 'PT0S' }],
    });
    expect(seq.status).toBe(201);
    expect((await post(`/v1/sequences/${seq.body.id}/enrollments`, { contactIds: [a.id, b.id, c.id] })).status).toBe(202);
    const stepBroadcast: number = seq.body.steps[0].broadcastId;
    await waitFor(
      async () => ((await recipientsOf(db, stepBroadcast)).filter((r) => r.dispatch_state === 'accepted').length === 3 ? true : undefined),
      20_000,
      'the sequence step to reach a, b and c',
    );
    // c's first message is older than the period: it no longer counts.
    await db.query('UPDATE broadcast_recipients SET accepted_at = NOW(3) - INTERVAL 8 DAY WHERE broadcast_id = ? AND contact_id = ?', [
      first,
      c.id,
    ]);

    const third = await broadcast(sender.id, listId, marketing);
    const rows = await recipientsOf(db, third);
    expect(rows.map((r) => [r.phone, r.status, r.skip_reason])).toEqual([
      [a.phone, 'skipped', 'frequency_capped'],
      [b.phone, 'skipped', 'frequency_capped'],
      [c.phone, 'queued', null],
      [d.phone, 'queued', null],
    ]);
    const view = (await request(url).get(`/v1/broadcasts/${third}`).set(bearer())).body;
    expect(view.stats).toMatchObject({ total: 4, skipped: 2 });

    // Utility messages are not capped: a and b still get them.
    const notice = await broadcast(sender.id, listId, utility);
    expect((await recipientsOf(db, notice)).map((r) => r.dispatch_state)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);

    const sends = new Map<string, number>();
    for (const e of sandbox.ledger({ phoneNumberId: sender.phoneNumberId })) {
      const phone = `+${e.to.replace(/^\+/, '')}`;
      sends.set(phone, (sends.get(phone) ?? 0) + 1);
    }
    // a, b: 2 marketing + 2 utility; c: 3 marketing (one aged out) + 2 utility; d: 2 marketing + 2 utility.
    expect([a, b, c, d].map((x) => sends.get(x.phone))).toEqual([4, 4, 5, 4]);
  });
});
