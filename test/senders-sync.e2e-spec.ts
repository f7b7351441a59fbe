import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TemplatesService } from '@clarion/templates';
import { WhatsAppClients } from '@clarion/whatsapp';
import { bearer, startApi } from './support/apps';
import { DEMO_TEMPLATES, Sandbox, startSandbox } from './support/sandbox';

/**
 * Against the sandbox: sender sync, template sync, and webhooks signed with the sandbox
 * secret accepted when WHATSAPP_APP_SECRET is unset and the Graph URL is loopback.
 */
describe('Senders and templates against the sandbox', () => {
  let sandbox: Sandbox;
  let api: INestApplication;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  const phoneNumberId = `sync${Date.now()}`;
  const wabaId = `waba${Date.now()}`;
  let senderId: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ config: { webhook: { url: null } } });
    delete process.env.WHATSAPP_APP_SECRET;
    api = await startApi({ WHATSAPP_GRAPH_URL: sandbox.url });
    http = request(api.getHttpServer());
    db = api.get(DataSource);
    sandbox.configure({ phoneNumbers: { [phoneNumberId]: { messagingLimitTier: 'TIER_10K', qualityRating: 'YELLOW', mps: 80, wabaId } } });
    const created = await http
      .post('/v1/senders')
      .set(bearer())
      .send({ name: 'Sandbox', api: 'cloud', phoneNumberId, accessToken: 'sandbox-token', wabaId })
      .expect(201);
    senderId = created.body.id;
  });
  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
  });

  it('syncs tier, throughput level and quality rating from the Graph API', async () => {
    const res = await http.post(`/v1/senders/${senderId}/sync`).set(bearer()).expect(200);
    expect(res.body).toMatchObject({ messagingLimit: 10_000, throughputMps: 80, qualityRating: 'YELLOW', syncedAt: expect.any(String) });

    sandbox.configure({
      phoneNumbers: { [phoneNumberId]: { messagingLimitTier: 'TIER_UNLIMITED', qualityRating: 'GREEN', mps: 1000, wabaId } },
    });
    const again = await http.post(`/v1/senders/${senderId}/sync`).set(bearer()).expect(200);
    expect(again.body).toMatchObject({ messagingLimit: 'unlimited', throughputMps: 1000, qualityRating: 'GREEN' });
  });

  it("reads the portfolio's whatsapp_business_manager_messaging_limit before the deprecated tier, and sets it on every sender of the portfolio", async () => {
    const portfolio = `acme-${Date.now()}`;
    const [a, b] = [`pa${Date.now()}`, `pb${Date.now()}`];
    const create = async (id: string) =>
      (
        await http
          .post('/v1/senders')
          .set(bearer())
          .send({ name: id, api: 'cloud', phoneNumberId: id, accessToken: 'sandbox-token', portfolio })
          .expect(201)
      ).body;
    const first = await create(a);
    const second = await create(b);
    const outsider = (
      await http
        .post('/v1/senders')
        .set(bearer())
        .send({ name: 'other', api: 'cloud', phoneNumberId: `po${Date.now()}`, accessToken: 'sandbox-token', portfolio: `${portfolio}-x` })
        .expect(201)
    ).body;
    // a new sender gets the limit Meta gives a new portfolio, unless told otherwise
    expect([first.messagingLimit, second.messagingLimit, outsider.messagingLimit]).toEqual([250, 250, 250]);

    // the number still reports its old per-number tier; the portfolio's limit is what counts
    sandbox.configure({ phoneNumbers: { [a]: { messagingLimitTier: 'TIER_1K', portfolioMessagingLimit: 'TIER_2K' } } });
    const synced = await http.post(`/v1/senders/${first.id}/sync`).set(bearer()).expect(200);
    expect(synced.body).toMatchObject({ messagingLimit: 2_000, portfolio });
    expect((await http.get(`/v1/senders/${second.id}`).set(bearer()).expect(200)).body.messagingLimit).toBe(2_000);
    expect((await http.get(`/v1/senders/${outsider.id}`).set(bearer()).expect(200)).body.messagingLimit).toBe(250);

    // a Graph API that does not answer the new field: the deprecated tier is the fallback
    sandbox.configure({ phoneNumbers: { [b]: { messagingLimitTier: 'TIER_10K', portfolioMessagingLimit: null } } });
    expect((await http.post(`/v1/senders/${second.id}/sync`).set(bearer()).expect(200)).body.messagingLimit).toBe(10_000);
    expect((await http.get(`/v1/senders/${first.id}`).set(bearer()).expect(200)).body.messagingLimit).toBe(10_000);

    // TIER_NOT_SET (a number that has not sent yet) is no limit to adopt: the fallback is used, else nothing changes
    sandbox.configure({ phoneNumbers: { [a]: { messagingLimitTier: 'TIER_UNKNOWN', portfolioMessagingLimit: 'TIER_NOT_SET' } } });
    expect((await http.post(`/v1/senders/${first.id}/sync`).set(bearer()).expect(200)).body.messagingLimit).toBe(10_000);
  });

  it('refuses to sync an On-Premises sender with a 400', async () => {
    const onprem = await http
      .post('/v1/senders')
      .set(bearer())
      .send({
        name: 'OP',
        api: 'onprem',
        phoneNumberId: `op${Date.now()}`,
        accessToken: 'admin:sandbox-password',
        baseUrl: `${sandbox.url}/onprem/x`,
      })
      .expect(201);
    const res = await http.post(`/v1/senders/${onprem.body.id}/sync`).set(bearer()).expect(400);
    expect(res.body.message).toMatch(/only Cloud API senders/);
  });

  it("syncs the WABA's templates with Meta's status, then updates them in place", async () => {
    const first = await http.post(`/v1/senders/${senderId}/templates/sync`).set(bearer()).expect(200);
    expect(first.body).toMatchObject({ wabaId, created: DEMO_TEMPLATES.length, updated: 0, skipped: [] });
    const list = await http.get(`/v1/templates?wabaId=${wabaId}&limit=100`).set(bearer()).expect(200);
    expect(list.body.data.map((t: { name: string }) => t.name).sort()).toEqual(DEMO_TEMPLATES.map((t) => t.name).sort());
    expect(list.body.data.every((t: { status: string; metaId: string | null }) => t.status === 'APPROVED' && t.metaId)).toBe(true);
    const sendable = await api.get(TemplatesService).findSendable('hello_world', 'en_US', wabaId);
    expect(sendable.template.wabaId).toBe(wabaId);

    const second = await http.post('/v1/templates/sync').set(bearer()).send({ senderId }).expect(200);
    expect(second.body).toMatchObject({ created: 0, updated: DEMO_TEMPLATES.length });
  });

  it('accepts status webhooks the sandbox signs with its own secret when WHATSAPP_APP_SECRET is unset', async () => {
    const { port } = api.getHttpServer().address() as { port: number };
    sandbox.configure({
      webhook: { url: `http://127.0.0.1:${port}/webhooks/whatsapp` } as never,
      statuses: { sentDelayMs: 0, deliveredDelayMs: 0, readDelayMs: 0, jitterMs: 0 } as never,
    });
    const [before] = await db.query('SELECT COUNT(*) AS n FROM webhook_events');
    const clients = api.get(WhatsAppClients);
    const credentials = { id: senderId, api: 'cloud' as const, phoneNumberId, accessToken: 'sandbox-token', wabaId };
    const outcome = await clients
      .for(credentials)
      .sendTemplate(credentials, { to: '15550009999', template: { name: 'hello_world', language: 'en_US' } });
    expect(outcome.ok).toBe(true);
    await sandbox.webhooksIdle();
    const [after] = await db.query('SELECT COUNT(*) AS n FROM webhook_events');
    expect(Number(after.n)).toBeGreaterThan(Number(before.n));
    expect(sandbox.stats(phoneNumberId)).toMatchObject({ webhookPostFailures: 0 });
    expect(sandbox.stats(phoneNumberId).webhookPosts).toBeGreaterThan(0);
  });
});
