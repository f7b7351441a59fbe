import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { request as httpRequest } from 'undici';
import { DataSource } from 'typeorm';
import { SANDBOX_APP_SECRET, signPayload } from '@clarion/whatsapp';
import { bearer, startApi, startWorker } from './support/apps';
import { seedList } from './support/broadcast-fixtures';
import { waitFor } from './support/processes';
import { Sandbox, startSandbox } from './support/sandbox';

/**
 * Templates submitted to Meta, end to end: the API submits to the sandbox's
 * `POST /{waba-id}/message_templates`, the sandbox reviews and posts the signed
 * `message_template_status_update` webhook, the worker applies it, and only then can the
 * template be broadcast. Meta pausing it later pauses the broadcast that is running.
 */
describe('Templates submitted to Meta (e2e, sandbox)', () => {
  let sandbox: Sandbox;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let senderId: number;
  /** Same WABA, 5 msg/s: its broadcasts are still running when Meta pauses their template. */
  let slowSenderId: number;
  const wabaId = `${randomInt(1e9, 2e9)}`;
  const phoneNumberId = `tpl${randomInt(1e9)}`;
  const slowPhoneNumberId = `tplslow${randomInt(1e9)}`;
  const accessToken = `EAAG-template-${randomInt(1e9)}`;

  beforeAll(async () => {
    // Only the sender's own token is accepted: a submission that did not carry it would get 190.
    sandbox = await startSandbox({
      config: { webhook: { url: null }, accessTokens: [accessToken], templateReview: { delayMs: 300 } },
    });
    delete process.env.WHATSAPP_APP_SECRET;
    const env = { WHATSAPP_GRAPH_URL: sandbox.url };
    api = await startApi(env);
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    const port = (api.getHttpServer().address() as { port: number }).port;
    sandbox.configure({
      webhook: { url: `http://127.0.0.1:${port}/webhooks/whatsapp`, flushIntervalMs: 20 },
      phoneNumbers: { [phoneNumberId]: { wabaId }, [slowPhoneNumberId]: { wabaId, mps: 5 } },
      statuses: { deliveredProbability: 1, readProbability: 0, sentDelayMs: 0, deliveredDelayMs: 10, jitterMs: 0 },
    });
    senderId = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({ name: 'Templates', api: 'cloud', phoneNumberId, wabaId, accessToken, throughputMps: 1000, messagingLimit: 'unlimited' })
        .expect(201)
    ).body.id;
    slowSenderId = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({
          name: 'Slow',
          api: 'cloud',
          phoneNumberId: slowPhoneNumberId,
          wabaId,
          accessToken,
          throughputMps: 5,
          messagingLimit: 'unlimited',
        })
        .expect(201)
    ).body.id;
    worker = await startWorker(env);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  const orderReady = (name: string) => ({
    senderId,
    name,
    language: 'en_US',
    category: 'UTILITY',
    parameter_format: 'positional',
    components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready.', example: { body_text: [['Ana', 'A-1']] } }],
  });

  async function templateStatus(id: number): Promise<{ status: string; statusReason: string | null }> {
    return (await http.get(`/v1/templates/${id}`).set(bearer()).expect(200)).body;
  }

  async function waitForTemplate(id: number, status: string) {
    return waitFor(
      async () => {
        const t = await templateStatus(id);
        return t.status === status ? t : undefined;
      },
      15_000,
      `template ${id} to be ${status}`,
    );
  }

  function broadcastOf(template: string, contactIds: number[], from = senderId) {
    return http
      .post('/v1/broadcasts')
      .set(bearer())
      .send({
        name: `b-${template}`,
        senderId: from,
        template: { name: template, language: 'en_US' },
        audience: { contactIds },
        variables: { 1: '{{name}}', 2: 'A-1' },
      });
  }

  async function sandboxTemplates(): Promise<Array<{ id: string; name: string; status: string; parameter_format: string }>> {
    const response = await httpRequest(`${sandbox.url}/v23.0/${wabaId}/message_templates?limit=100`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return ((await response.body.json()) as { data: Array<{ id: string; name: string; status: string; parameter_format: string }> }).data;
  }

  async function metaSays(name: string, event: string, reason?: string): Promise<void> {
    const response = await httpRequest(`${sandbox.url}/_sandbox/template-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wabaId, name, language: 'en_US', event, reason }),
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  }

  it("submits a template to the sender's WABA: PENDING with Meta's id and not broadcastable (400), then APPROVED by Meta's webhook and broadcast", async () => {
    // Meta takes its time here, so PENDING can be looked at; Meta's approval is then played by hand.
    sandbox.configure({ templateReview: { delayMs: 60_000 } });
    const { contacts } = await seedList(db, 3);
    const created = await http.post('/v1/templates').set(bearer()).send(orderReady('order_ready')).expect(201);
    sandbox.configure({ templateReview: { delayMs: 300 } });
    expect(created.body).toMatchObject({ name: 'order_ready', status: 'PENDING', wabaId, metaId: expect.stringMatching(/^\d+$/) });
    const atMeta = (await sandboxTemplates()).find((t) => t.name === 'order_ready');
    expect(atMeta).toMatchObject({ id: created.body.metaId, status: 'PENDING', parameter_format: 'POSITIONAL' });
    const refused = await broadcastOf(
      'order_ready',
      contacts.map((c) => c.id),
    ).expect(400);
    expect(refused.body.message).toMatch(/"order_ready" \(en_US\) is PENDING; only APPROVED templates can be sent/);

    await metaSays('order_ready', 'APPROVED');
    await waitForTemplate(created.body.id, 'APPROVED');
    const broadcast = await broadcastOf(
      'order_ready',
      contacts.map((c) => c.id),
    ).expect(201);
    await waitFor(
      async () => (await http.get(`/v1/broadcasts/${broadcast.body.id}`).set(bearer()).expect(200)).body.status === 'completed',
      20_000,
      'the broadcast to complete',
    );
    const sent = sandbox.ledger({ phoneNumberId }).filter((e) => e.template.name === 'order_ready');
    expect(sent).toHaveLength(3);
  });

  it('submits named parameters with body_text_named_params; the review approves it on its own', async () => {
    const created = await http
      .post('/v1/templates')
      .set(bearer())
      .send({
        senderId,
        name: 'order_confirmation_named',
        language: 'en_US',
        category: 'utility',
        parameter_format: 'named',
        components: [
          {
            type: 'body',
            text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.',
            example: {
              body_text_named_params: [
                { param_name: 'first_name', example: 'Pablo' },
                { param_name: 'order_number', example: '860198-230332' },
              ],
            },
          },
        ],
      })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'PENDING', parameter_format: 'named' });
    expect((await sandboxTemplates()).find((t) => t.name === 'order_confirmation_named')?.parameter_format).toBe('NAMED');
    await waitForTemplate(created.body.id, 'APPROVED');
  });

  it('a template Meta rejects is REJECTED with the reason and cannot be broadcast (400)', async () => {
    const created = await http.post('/v1/templates').set(bearer()).send(orderReady('reject_x')).expect(201);
    expect(created.body.status).toBe('PENDING');
    const rejected = await waitForTemplate(created.body.id, 'REJECTED');
    expect(rejected.statusReason).toMatch(/reject_ are rejected/);
    const { contacts } = await seedList(db, 1);
    const refused = await broadcastOf(
      'reject_x',
      contacts.map((c) => c.id),
    ).expect(400);
    expect(refused.body.message).toMatch(/"reject_x" \(en_US\) is REJECTED; only APPROVED templates can be sent/);
  });

  it("answers Meta's validation error (a missing example) as a 400 quoting Meta, and keeps nothing", async () => {
    const body = orderReady('order_without_example');
    body.components = [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready.' } as (typeof body.components)[number]];
    const refused = await http.post('/v1/templates').set(bearer()).send(body).expect(400);
    expect(refused.body.message).toMatch(
      /^Meta refused template order_without_example \(en_US\): Invalid parameter: BODY: example\.body_text needs 2 sample value/,
    );
    const list = await http.get('/v1/templates?search=order_without_example').set(bearer()).expect(200);
    expect(list.body.data).toEqual([]);
    expect((await sandboxTemplates()).some((t) => t.name === 'order_without_example')).toBe(false);
  });

  it('refuses a second submission of the same name and language (409), a sender without a WABA (400); a refused token is a 502', async () => {
    await http.post('/v1/templates').set(bearer()).send(orderReady('order_twice')).expect(201);
    const twice = await http.post('/v1/templates').set(bearer()).send(orderReady('order_twice')).expect(409);
    expect(twice.body.message).toBe(`template order_twice (en_US) already exists for WABA ${wabaId}`);
    const noWaba = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'No WABA', api: 'cloud', phoneNumberId: `nowaba${randomInt(1e9)}`, accessToken })
      .expect(201);
    const refused = await http
      .post('/v1/templates')
      .set(bearer())
      .send({ ...orderReady('order_elsewhere'), senderId: noWaba.body.id })
      .expect(400);
    expect(refused.body.message).toMatch(/has no wabaId/);

    // A token Meta refuses is no fault of the template: it stays an upstream error (502), and nothing is kept.
    const badToken = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Bad token', api: 'cloud', phoneNumberId: `badtoken${randomInt(1e9)}`, wabaId, accessToken: 'EAAG-revoked' })
      .expect(201);
    const upstream = await http
      .post('/v1/templates')
      .set(bearer())
      .send({ ...orderReady('order_bad_token'), senderId: badToken.body.id })
      .expect(502);
    expect(upstream.body.message).toMatch(/WhatsApp refused the request for sender \d+: \(#190\)/);
    expect((await http.get('/v1/templates?search=order_bad_token').set(bearer()).expect(200)).body.data).toEqual([]);
  });

  it('pauses the running broadcast of a template Meta pauses, with the reason; it resumes once Meta reinstates it', async () => {
    const created = await http.post('/v1/templates').set(bearer()).send(orderReady('order_paused_later')).expect(201);
    await waitForTemplate(created.body.id, 'APPROVED');
    const { contacts } = await seedList(db, 200);
    const broadcast = await broadcastOf(
      'order_paused_later',
      contacts.map((c) => c.id),
      slowSenderId,
    ).expect(201);
    const id = broadcast.body.id as number;
    await waitFor(
      () => sandbox.ledger({ phoneNumberId: slowPhoneNumberId }).some((e) => e.template.name === 'order_paused_later'),
      15_000,
      'a first send',
    );

    await metaSays('order_paused_later', 'PAUSED', 'Your template has been paused for 3 hours because of low quality.');
    const paused = await waitFor(
      async () => {
        const b = (await http.get(`/v1/broadcasts/${id}`).set(bearer()).expect(200)).body;
        return b.status === 'paused' ? b : undefined;
      },
      15_000,
      'the broadcast to pause',
    );
    expect(paused.statusReason).toBe(
      'template order_paused_later was PAUSED by Meta: Your template has been paused for 3 hours because of low quality.',
    );
    expect(await templateStatus(created.body.id)).toMatchObject({ status: 'PAUSED', statusReason: expect.stringMatching(/low quality/) });
    const refused = await http.post(`/v1/broadcasts/${id}/resume`).set(bearer()).expect(400);
    expect(refused.body.message).toMatch(/is PAUSED .*can resume once it is APPROVED again/);

    await metaSays('order_paused_later', 'REINSTATED');
    await waitForTemplate(created.body.id, 'APPROVED');
    expect((await http.post(`/v1/broadcasts/${id}/resume`).set(bearer()).expect(200)).body.status).toBe('running');
    await http.post(`/v1/broadcasts/${id}/cancel`).set(bearer()).expect(200);
  });

  it("follows Meta's quality and category updates, and a sync adopts a status whose webhook never came", async () => {
    const created = await http.post('/v1/templates').set(bearer()).send(orderReady('order_followed')).expect(201);
    await waitForTemplate(created.body.id, 'APPROVED');
    const metaId = Number(created.body.metaId);
    const change = (field: string, value: Record<string, unknown>) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ field, value }] }],
    });
    const ref = { message_template_id: metaId, message_template_name: 'order_followed', message_template_language: 'en_US' };
    for (const body of [
      change('message_template_quality_update', { ...ref, previous_quality_score: 'GREEN', new_quality_score: 'YELLOW' }),
      change('template_category_update', { ...ref, previous_category: 'UTILITY', new_category: 'MARKETING' }),
    ]) {
      const raw = JSON.stringify(body);
      await http
        .post('/webhooks/whatsapp')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', signPayload(raw, SANDBOX_APP_SECRET))
        .send(raw)
        .expect(200);
    }
    await waitFor(
      async () => {
        const t = (await http.get(`/v1/templates/${created.body.id}`).set(bearer()).expect(200)).body;
        return t.qualityScore === 'YELLOW' && t.category === 'MARKETING';
      },
      15_000,
      'quality YELLOW and category MARKETING',
    );

    // Meta disables it while no webhook reaches Clarion: the next sync brings the status.
    sandbox.configure({ webhook: { url: null } });
    try {
      await metaSays('order_followed', 'DISABLED');
    } finally {
      const port = (api.getHttpServer().address() as { port: number }).port;
      sandbox.configure({ webhook: { url: `http://127.0.0.1:${port}/webhooks/whatsapp` } });
    }
    expect((await templateStatus(created.body.id)).status).toBe('APPROVED');
    await http.post(`/v1/senders/${senderId}/templates/sync`).set(bearer()).expect(200);
    expect((await templateStatus(created.body.id)).status).toBe('DISABLED');
  });
});
