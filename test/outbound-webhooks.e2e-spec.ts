import { randomInt } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { SANDBOX_APP_SECRET, signPayload } from '@clarion/whatsapp';
import { bearer } from './support/apps';
import { approveDemoTemplates, broadcastCompleted, createSender } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { startReceiver } from './support/webhook-receiver';
import type { Sandbox } from './support/sandbox';
import { startStack, type Stack } from './support/stack';

/**
 * Outbound webhooks end to end: endpoints through the API, events written by real state changes
 * (a broadcast through the sandbox with failures, replies and STOPs; an import; Meta pausing a
 * template), relayed from the outbox by the worker, delivered signed, retried with the same id.
 */
describe('Outbound webhooks (e2e)', () => {
  let stack: Stack;
  let sandbox: Sandbox;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let senderId: number;
  const phoneNumberId = `ow${randomInt(1e9)}`;
  const wabaId = `${randomInt(1e9, 2e9)}`;
  const receivers: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    delete process.env.WHATSAPP_APP_SECRET;
    stack = await startStack({
      env: {
        STATS_SWEEP_INTERVAL_MS: '300',
        WEBHOOK_RELAY_INTERVAL_MS: '100',
        WEBHOOK_RETRY_BASE_MS: '300',
        WEBHOOK_RETRY_MAX_DELAY_MS: '800',
        WEBHOOK_DISABLE_AFTER_SECONDS: '2',
      },
      webhooks: { flushIntervalMs: 20, maxBatch: 50 },
      sandbox: {
        phoneNumbers: { [phoneNumberId]: { wabaId } },
        statuses: { sentDelayMs: 0, deliveredDelayMs: 20, readDelayMs: 40, jitterMs: 10, deliveredProbability: 1, readProbability: 1 },
        replyDelayMs: 0,
      },
      beforeWorker: async ({ url }) => {
        senderId = (await createSender(url, { phoneNumberId, wabaId })).id;
      },
    });
    ({ sandbox, db } = stack);
    http = request(stack.api.getHttpServer());
    await approveDemoTemplates(db);
  });

  afterAll(async () => {
    await stack?.close();
    for (const r of receivers) await r.close();
  });

  async function receiver(answer?: (n: number, raw: string) => number) {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  }

  it('manages endpoints (admin only): the secret is whsec_ + base64, shown once, stored encrypted; bad input is a 400', async () => {
    const created = await http
      .post('/v1/webhook-endpoints')
      .set(bearer())
      .send({ url: 'http://127.0.0.1:9/hooks', events: ['broadcast.completed'], description: 'CRM' })
      .expect(201);
    expect(created.body).toMatchObject({ url: 'http://127.0.0.1:9/hooks', events: ['broadcast.completed'], status: 'enabled' });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [row] = await db.query('SELECT secret_enc FROM webhook_endpoints WHERE id = ?', [created.body.id]);
    expect(row.secret_enc).toMatch(/^v1:/);
    expect(row.secret_enc).not.toContain(created.body.secret.slice(6));

    const id = created.body.id;
    const got = await http.get(`/v1/webhook-endpoints/${id}`).set(bearer()).expect(200);
    expect(got.body.secret).toBeUndefined();
    const patched = await http
      .patch(`/v1/webhook-endpoints/${id}`)
      .set(bearer())
      .send({ events: ['import.completed', 'contact.opted_out'] })
      .expect(200);
    expect(patched.body.events).toEqual(['import.completed', 'contact.opted_out']);
    const rotated = await http.patch(`/v1/webhook-endpoints/${id}`).set(bearer()).send({ rotateSecret: true }).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);

    const list = await http.get('/v1/webhook-endpoints?limit=1').set(bearer()).expect(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body).toHaveProperty('nextCursor');

    const bad = await http
      .post('/v1/webhook-endpoints')
      .set(bearer())
      .send({ url: 'http://127.0.0.1:9/x', events: ['nope'] })
      .expect(400);
    expect(String(bad.body.message)).toContain('broadcast.status_changed');
    await http
      .post('/v1/webhook-endpoints')
      .set(bearer())
      .send({ url: 'ftp://example.com', events: ['broadcast.completed'] })
      .expect(400);
    await http.post('/v1/webhook-endpoints').set(bearer()).send({ url: 'http://127.0.0.1:9/x', events: [] }).expect(400);

    const marketer = (await http.post('/v1/tokens').set(bearer()).send({ name: 'm', role: 'marketer' }).expect(201)).body.token;
    await http.get('/v1/webhook-endpoints').set(bearer(marketer)).expect(403);
    await http
      .post('/v1/webhook-endpoints')
      .set(bearer(marketer))
      .send({ url: 'http://127.0.0.1:9/x', events: ['broadcast.completed'] })
      .expect(403);

    await http.delete(`/v1/webhook-endpoints/${id}`).set(bearer()).expect(204);
    await http.get(`/v1/webhook-endpoints/${id}`).set(bearer()).expect(404);
  });

  it('sends a signed ping on POST /test and logs the attempt with its answer code', async () => {
    const r = await receiver(() => 200);
    const created = await http
      .post('/v1/webhook-endpoints')
      .set(bearer())
      .send({ url: r.url, events: ['broadcast.completed'] })
      .expect(201);
    const ping = await http.post(`/v1/webhook-endpoints/${created.body.id}/test`).set(bearer()).expect(200);
    expect(ping.body).toMatchObject({ status: 'succeeded', responseCode: 200 });
    const [event] = r.verified(created.body.secret);
    expect(event).toMatchObject({ id: ping.body.eventId, type: 'ping', data: { endpointId: created.body.id } });
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(r.received[0].raw, r.received[0].headers as never),
    ).toThrow();
    const log = await http.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`).set(bearer()).expect(200);
    expect(log.body.data).toEqual([
      expect.objectContaining({ eventId: ping.body.eventId, eventType: 'ping', attempt: 1, status: 'succeeded', responseCode: 200 }),
    ]);
    await http.delete(`/v1/webhook-endpoints/${created.body.id}`).set(bearer()).expect(204);
  });

  it("announces a real broadcast's progress, failures, replies and opt-outs; a delivery answered 500 is retried with the same id", async () => {
    // The first delivery this endpoint gets is refused: its retry must carry the same webhook-id and body.
    const r = await receiver((n) => (n === 0 ? 500 : 200));
    const endpoint = (
      await http
        .post('/v1/webhook-endpoints')
        .set(bearer())
        .send({
          url: r.url,
          events: ['broadcast.status_changed', 'broadcast.completed', 'recipient.failed', 'message.replied', 'contact.opted_out'],
        })
        .expect(201)
    ).body;

    const base = randomInt(99_000_000);
    const phones = Array.from({ length: 12 }, (_, i) => `9198${String(base + i).padStart(8, '0')}`);
    const contactIds: number[] = [];
    for (const p of phones)
      contactIds.push(Number((await db.query("INSERT INTO contacts (phone, name, country) VALUES (?, 'W', 'IN')", [`+${p}`])).insertId));
    const failing = phones.slice(0, 3);
    const repliers = phones.slice(3, 5);
    const stoppers = phones.slice(5, 6);
    sandbox.configure({
      failNumbers: Object.fromEntries(failing.map((p) => [p, 131026])),
      replyNumbers: Object.fromEntries(repliers.map((p) => [p, 'Yes please'])),
      stopNumbers: stoppers,
    });
    const broadcastId = (
      await http
        .post('/v1/broadcasts')
        .set(bearer())
        .send({ name: 'outbound', senderId, template: { name: 'hello_world', language: 'en_US' }, audience: { contactIds }, variables: {} })
        .expect(201)
    ).body.id;
    await broadcastCompleted(stack.url, broadcastId);

    const byType = () => {
      const seen = new Map<string, { id: string; type: string; data: Record<string, unknown> }>();
      for (const e of r.verified(endpoint.secret)) seen.set(e.id, e); // receivers deduplicate by webhook-id
      const of = (type: string) => [...seen.values()].filter((e) => e.type === type).map((e) => e.data);
      return { of };
    };
    const events = await waitFor(
      () => {
        const e = byType();
        const statuses = new Set(e.of('broadcast.status_changed').map((d) => d.broadcastId === broadcastId && d.status));
        // The refused first delivery (often 'running') arrives again only after its retry's back-off.
        const ready =
          statuses.has('running') &&
          statuses.has('completed') &&
          e.of('broadcast.completed').length === 1 &&
          e.of('recipient.failed').length === failing.length &&
          e.of('message.replied').length >= repliers.length + stoppers.length &&
          e.of('contact.opted_out').length === stoppers.length;
        return ready ? e : undefined;
      },
      30_000,
      'every event of the broadcast',
    );
    const statuses = events
      .of('broadcast.status_changed')
      .filter((d) => d.broadcastId === broadcastId)
      .map((d) => d.status);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'completed']));
    expect(events.of('broadcast.completed')[0]).toMatchObject({ broadcastId, stats: expect.objectContaining({ total: 12 }) });
    expect(events.of('recipient.failed').every((d) => d.broadcastId === broadcastId && d.errorCode === 131026)).toBe(true);
    expect(new Set(events.of('recipient.failed').map((d) => d.recipientId)).size).toBe(failing.length);
    expect(
      events
        .of('recipient.failed')
        .map((d) => d.phone)
        .sort(),
    ).toEqual(failing.map((p) => `+${p}`).sort());
    const repliedPhones = events.of('message.replied').map((d) => String(d.phone));
    for (const p of [...repliers, ...stoppers]) expect(repliedPhones).toContain(`+${p}`);
    expect(events.of('message.replied').find((d) => d.phone === `+${repliers[0]}`)).toMatchObject({ broadcastId, text: 'Yes please' });
    expect(events.of('contact.opted_out').map((d) => d.phone)).toEqual(stoppers.map((p) => `+${p}`));

    // The refused first delivery came again, same id, same body, and verified.
    const first = r.received[0];
    expect(first.answered).toBe(500);
    const retried = r.received.filter((x) => x.headers['webhook-id'] === first.headers['webhook-id']);
    expect(retried.map((x) => x.answered)).toEqual([500, 200]);
    expect(retried[1].raw).toBe(first.raw);
    expect(() => new Webhook(endpoint.secret).verify(retried[1].raw, retried[1].headers as Record<string, string>)).not.toThrow();
    const log = await waitFor(
      async () => {
        const page = await http.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=1000`).set(bearer()).expect(200);
        const mine = page.body.data.filter((d: { eventId: string }) => d.eventId === first.headers['webhook-id']);
        return mine.length === 2 ? mine : undefined;
      },
      10_000,
      'both attempts in the delivery log',
    );
    expect(log.map((d: { attempt: number; status: string; responseCode: number }) => [d.attempt, d.status, d.responseCode])).toEqual([
      [2, 'succeeded', 200],
      [1, 'failed', 500],
    ]);
    const failedOnly = await http.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries?status=failed`).set(bearer()).expect(200);
    expect(failedOnly.body.data).toHaveLength(1);
    await http.delete(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer()).expect(204);
  });

  it("announces a finished import and a template's status change (Meta pausing it)", async () => {
    const r = await receiver(() => 200);
    const endpoint = (
      await http
        .post('/v1/webhook-endpoints')
        .set(bearer())
        .send({ url: r.url, events: ['import.completed', 'template.status_changed'] })
        .expect(201)
    ).body;
    const base = randomInt(9_000_000);
    const csv = `phone,name\n+4915${String(base).padStart(9, '0')},A\n+4915${String(base + 1).padStart(9, '0')},B\nnot a phone,C\n`;
    const importId = (await http.post('/v1/imports').set(bearer()).attach('file', Buffer.from(csv), 'c.csv').expect(202)).body.id;

    const metaId = `${randomInt(1e12, 2e12)}`;
    const template = await db.query(
      "INSERT INTO templates (waba_id, meta_id, name, language, category, status, parameter_format, components) VALUES (?, ?, 'paused_soon', 'en_US', 'MARKETING', 'APPROVED', 'POSITIONAL', ?)",
      [wabaId, metaId, JSON.stringify([{ type: 'BODY', text: 'Hi' }])],
    );
    const raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'PAUSED',
                message_template_id: Number(metaId),
                message_template_name: 'paused_soon',
                message_template_language: 'en_US',
                reason: 'LOW_QUALITY',
              },
            },
          ],
        },
      ],
    });
    await http
      .post('/webhooks/whatsapp')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(raw, SANDBOX_APP_SECRET))
      .send(raw)
      .expect(200);

    const events = await waitFor(
      () => {
        const v = r.verified(endpoint.secret);
        return v.some((e) => e.type === 'import.completed') && v.some((e) => e.type === 'template.status_changed') ? v : undefined;
      },
      20_000,
      'the import and template events',
    );
    expect(events.find((e) => e.type === 'import.completed')?.data).toMatchObject({
      importId,
      status: 'completed',
      created: 2,
      invalid: 1,
    });
    expect(events.find((e) => e.type === 'template.status_changed')?.data).toMatchObject({
      templateId: Number(template.insertId),
      name: 'paused_soon',
      status: 'PAUSED',
    });
    // An admin setting the status through the API announces it as well.
    await http.put(`/v1/templates/${template.insertId}/status`).set(bearer()).send({ status: 'APPROVED' }).expect(200);
    await waitFor(
      () => r.verified(endpoint.secret).some((e) => e.type === 'template.status_changed' && e.data.status === 'APPROVED'),
      20_000,
      'the API status change event',
    );
    await http.delete(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer()).expect(204);
  });

  it('disables an endpoint whose deliveries keep failing for WEBHOOK_DISABLE_AFTER_SECONDS, with the reason', async () => {
    const r = await receiver(() => 503);
    const endpoint = (
      await http
        .post('/v1/webhook-endpoints')
        .set(bearer())
        .send({ url: r.url, events: ['contact.opted_out'] })
        .expect(201)
    ).body;
    const phone = `+4917${String(randomInt(9_000_000)).padStart(9, '0')}`;
    const contact = (await http.post('/v1/contacts').set(bearer()).send({ phone, name: 'Leaving' }).expect(201)).body;
    await http.patch(`/v1/contacts/${contact.id}`).set(bearer()).send({ optedOut: true }).expect(200);

    const disabled = await waitFor(
      async () => {
        const e = (await http.get(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer()).expect(200)).body;
        return e.status === 'disabled' ? e : undefined;
      },
      20_000,
      'the failing endpoint to be disabled',
    );
    expect(disabled.disabledReason).toContain('HTTP 503');
    expect(disabled.failingSince).not.toBeNull();
    const attempts = r.received.length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(r.received.length).toBe(attempts); // nothing more is sent to a disabled endpoint

    const enabled = await http.patch(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer()).send({ enabled: true }).expect(200);
    expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null, failingSince: null });
  });
});
