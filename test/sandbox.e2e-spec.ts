import { createHmac, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';
import { parseWebhook, WhatsAppClients, type SenderCredentials, type TemplateMessage, type WebhookPayload } from '@clarion/whatsapp';
import { startSandbox, startWebhookReceiver, type Sandbox } from './support/sandbox';

const SECRET = 'test-app-secret-123';
const sender: SenderCredentials = { id: 1, api: 'cloud', phoneNumberId: '2000001', accessToken: 'any-token' };
const message = (to: string, callback?: string): TemplateMessage => ({
  to,
  template: { name: 'hello_world', language: 'en_US' },
  bizOpaqueCallbackData: callback,
});
const FAST = { sentDelayMs: 0, deliveredDelayMs: 5, readDelayMs: 10, jitterMs: 0, deliveredProbability: 1, readProbability: 1 };

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

function statusesOf(receiver: Receiver) {
  return receiver.received.flatMap((w) =>
    (w.body as WebhookPayload).entry.flatMap((e) =>
      e.changes.flatMap((c) => (c.value.statuses ?? []).map((s) => ({ ...s, phoneNumberId: c.value.metadata.phone_number_id }))),
    ),
  );
}
function inboundOf(receiver: Receiver) {
  return receiver.received.flatMap((w) =>
    (w.body as WebhookPayload).entry.flatMap((e) => e.changes.flatMap((c) => c.value.messages ?? [])),
  );
}

describe('WhatsApp sandbox', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  let clients: WhatsAppClients;
  let next = 0;
  const recipient = () => `1555${String(2_000_000 + next++).padStart(7, '0')}`;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startSandbox({
      config: { webhook: { url: receiver.url, appSecret: SECRET, flushIntervalMs: 10, retryDelayMs: 20 }, statuses: FAST },
    });
    clients = new WhatsAppClients({ graphUrl: sandbox.url, graphVersion: 'v23.0' });
  });
  afterAll(async () => {
    await clients.close();
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(() => {
    sandbox.reset();
    receiver.received.length = 0;
    receiver.setStatus(200);
  });

  describe('status webhooks', () => {
    it('posts sent, delivered and read, signed with the app secret over the raw body', async () => {
      const outcome = await clients.for(sender).sendTemplate(sender, message(recipient(), 'b1:r1'));
      await sandbox.webhooksIdle();
      expect(receiver.received.length).toBeGreaterThan(0);
      for (const webhook of receiver.received) {
        const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(webhook.rawBody).digest('hex')}`);
        const given = Buffer.from(webhook.signature ?? '');
        expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
      }
      const statuses = statusesOf(receiver);
      expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
      for (const s of statuses) {
        expect(s).toMatchObject({
          id: outcome.ok && outcome.wamid,
          biz_opaque_callback_data: 'b1:r1',
          phoneNumberId: sender.phoneNumberId,
          pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
          timestamp: expect.stringMatching(/^\d{10}$/),
        });
      }
      const body = receiver.received[0].body as WebhookPayload;
      expect(body).toMatchObject({
        object: 'whatsapp_business_account',
        entry: [{ changes: [{ field: 'messages', value: { messaging_product: 'whatsapp' } }] }],
      });
      expect(sandbox.stats(sender.phoneNumberId).webhooksPosted).toBe(3);
    });

    it('batches many statuses into one POST, up to the configured maximum', async () => {
      sandbox.configure({ webhook: { maxBatch: 10, flushIntervalMs: 200 }, statuses: { deliveredProbability: 0 } });
      await Promise.all(Array.from({ length: 25 }, () => clients.for(sender).sendTemplate(sender, message(recipient()))));
      await sandbox.webhooksIdle();
      expect(statusesOf(receiver)).toHaveLength(25);
      expect(receiver.received.length).toBeLessThan(25);
      expect(
        Math.max(...receiver.received.map((w) => ((w.body as WebhookPayload).entry[0].changes[0].value.statuses ?? []).length)),
      ).toBeLessThanOrEqual(10);
    });

    it('reports configured numbers as failed with the error code', async () => {
      const to = recipient();
      sandbox.configure({ failNumbers: { [to]: 131026 } });
      await clients.for(sender).sendTemplate(sender, message(to));
      await sandbox.webhooksIdle();
      const statuses = statusesOf(receiver);
      expect(statuses).toHaveLength(1);
      expect(statuses[0]).toMatchObject({ status: 'failed', recipient_id: to, errors: [{ code: 131026, title: 'Message Undeliverable' }] });
      expect(parseWebhook(receiver.received[0].body)).toEqual([
        expect.objectContaining({ kind: 'status', status: 'failed', recipientId: to, errors: [expect.objectContaining({ code: 131026 })] }),
      ]);
    });

    it('simulates replies and STOPs that point at the message with context.id', async () => {
      const [replier, stopper] = [recipient(), recipient()];
      sandbox.configure({ replyNumbers: { [replier]: 'Yes please' }, stopNumbers: [stopper], replyDelayMs: 0 });
      const a = await clients.for(sender).sendTemplate(sender, message(replier));
      const b = await clients.for(sender).sendTemplate(sender, message(`+${stopper}`));
      await sandbox.webhooksIdle();
      const inbound = inboundOf(receiver);
      expect(inbound).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            from: replier,
            type: 'text',
            text: { body: 'Yes please' },
            context: expect.objectContaining({ id: a.ok && a.wamid }),
          }),
          expect.objectContaining({ from: stopper, text: { body: 'STOP' }, context: expect.objectContaining({ id: b.ok && b.wamid }) }),
        ]),
      );
      // Clarion's own webhook parser reads what the sandbox posts.
      const events = receiver.received.flatMap((w) => parseWebhook(w.body));
      expect(events.filter((e) => e.kind === 'status')).toHaveLength(6);
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'inbound',
            from: stopper,
            text: 'STOP',
            contextWamid: b.ok && b.wamid,
            phoneNumberId: sender.phoneNumberId,
          }),
        ]),
      );
    });

    it('can post the sent status before answering the send (early webhook)', async () => {
      sandbox.configure({ statuses: { earlyWebhook: true, deliveredProbability: 0 } });
      const outcome = await clients.for(sender).sendTemplate(sender, message(recipient()));
      const answeredAt = Date.now();
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0].receivedAt).toBeLessThanOrEqual(answeredAt);
      expect(statusesOf(receiver)[0]).toMatchObject({ id: outcome.ok && outcome.wamid, status: 'sent' });
    });

    it('can duplicate and reorder deliveries', async () => {
      sandbox.configure({ statuses: { duplicateProbability: 1, reorder: true, deliveredDelayMs: 60, readDelayMs: 120 } });
      const outcome = await clients.for(sender).sendTemplate(sender, message(recipient()));
      await sandbox.webhooksIdle();
      const statuses = statusesOf(receiver).filter((s) => outcome.ok && s.id === outcome.wamid);
      expect(statuses).toHaveLength(6);
      expect(statuses[0].status).toBe('read');
      expect(statuses.filter((s) => s.status === 'delivered')).toHaveLength(2);
    });

    it('retries a POST the receiver refuses', async () => {
      receiver.setStatus(503);
      sandbox.configure({ statuses: { deliveredProbability: 0 } });
      await clients.for(sender).sendTemplate(sender, message(recipient()));
      setTimeout(() => receiver.setStatus(200), 30);
      await sandbox.webhooksIdle();
      expect(statusesOf(receiver)).toHaveLength(1);
    });
  });

  describe('throughput cap', () => {
    it('never accepts more than the cap in any trailing second, and says so in stats', async () => {
      const phoneNumberId = '2000002';
      sandbox.configure({ phoneNumbers: { [phoneNumberId]: { mps: 25 } }, webhook: { url: null } });
      const capped = { ...sender, phoneNumberId };
      const outcomes: boolean[] = [];
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        const batch = await Promise.all(Array.from({ length: 20 }, () => clients.for(capped).sendTemplate(capped, message(recipient()))));
        outcomes.push(...batch.map((o) => o.ok));
      }
      const accepted = sandbox.ledger({ phoneNumberId }).map((e) => e.acceptedAt);
      let worst = 0;
      for (let i = 0, j = 0; i < accepted.length; i++) {
        while (accepted[i] - accepted[j] >= 1000) j++;
        worst = Math.max(worst, i - j + 1);
      }
      const stats = sandbox.stats(phoneNumberId);
      expect(worst).toBeLessThanOrEqual(25);
      expect(stats.maxInTrailingSecond).toBe(worst);
      expect(stats.accepted).toBe(outcomes.filter(Boolean).length);
      expect(stats.rejectedByCode['130429']).toBe(outcomes.filter((ok) => !ok).length);
      expect(stats.rejectedByCode['130429']).toBeGreaterThan(0);
    });
  });

  describe('control endpoints', () => {
    it('lists the ledger by phone number, paged with sinceId', async () => {
      const other = { ...sender, phoneNumberId: '2000003' };
      for (let i = 0; i < 5; i++) await clients.for(sender).sendTemplate(sender, message(recipient(), `cb${i}`));
      await clients.for(other).sendTemplate(other, message(recipient()));
      const first = await getJson(`${sandbox.url}/_sandbox/ledger?phoneNumberId=${sender.phoneNumberId}&limit=3`);
      expect(first.data).toHaveLength(3);
      expect(first.data[0]).toMatchObject({
        phoneNumberId: sender.phoneNumberId,
        template: { name: 'hello_world', language: 'en_US' },
        callbackData: 'cb0',
      });
      const second = await getJson(
        `${sandbox.url}/_sandbox/ledger?phoneNumberId=${sender.phoneNumberId}&limit=3&sinceId=${first.nextSinceId}`,
      );
      expect(second.data.map((e: { callbackData: string }) => e.callbackData)).toEqual(['cb3', 'cb4']);
      expect(second.nextSinceId).toBeNull();
      const stats = await getJson(`${sandbox.url}/_sandbox/stats?phoneNumberId=${other.phoneNumberId}`);
      expect(stats).toMatchObject({ accepted: 1, rejectedByCode: {}, maxInTrailingSecond: 1 });
    });

    it('takes partial configuration over HTTP and resets', async () => {
      const configured = await postJson(`${sandbox.url}/_sandbox/config`, { faults: { errorRates: { 131000: 1 } } });
      expect(configured.faults).toMatchObject({ errorRates: { 131000: 1 }, latencyMs: 0 });
      expect(configured.statuses.deliveredProbability).toBe(1);
      expect(await clients.for(sender).sendTemplate(sender, message(recipient()))).toMatchObject({ ok: false, error: { code: 131000 } });
      await postJson(`${sandbox.url}/_sandbox/reset`, {});
      expect(await clients.for(sender).sendTemplate(sender, message(recipient()))).toMatchObject({ ok: true });
      expect(sandbox.stats().rejectedByCode).toEqual({});
    });

    it('reviews a template submitted through the Graph API: PENDING, then APPROVED by a signed webhook; sends are checked against it', async () => {
      sandbox.configure({ templateReview: { delayMs: 50 } });
      const wabaId = '100000000000001';
      const created = await clients.submitTemplate(
        { ...sender, wabaId },
        {
          name: 'welcome_offer',
          language: 'en_GB',
          category: 'marketing',
          parameter_format: 'positional',
          components: [{ type: 'BODY', text: 'Hi {{1}}, welcome!', example: { body_text: [['Ana']] } }],
        },
      );
      expect(created).toMatchObject({ id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'MARKETING' });
      const welcome = (params: string[]): TemplateMessage => ({
        to: recipient(),
        template: {
          name: 'welcome_offer',
          language: 'en_GB',
          components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }],
        },
      });
      // Not approved yet: Meta answers as for a template it does not have.
      expect(await clients.for(sender).sendTemplate(sender, welcome(['Ana']))).toMatchObject({ ok: false, error: { code: 132001 } });
      expect((await clients.listTemplates({ ...sender, wabaId })).find((t) => t.name === 'welcome_offer')?.status).toBe('PENDING');

      const review = await waitForChange(receiver, 'message_template_status_update');
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(review.rawBody).digest('hex')}`);
      expect(Buffer.from(review.signature ?? '').equals(expected)).toBe(true);
      expect(parseWebhook(review.body)).toEqual([
        { kind: 'template_status', wabaId, templateId: created.id, name: 'welcome_offer', language: 'en_GB', status: 'APPROVED' },
      ]);
      expect(await clients.for(sender).sendTemplate(sender, welcome(['Ana']))).toMatchObject({ ok: true });
      expect(await clients.for(sender).sendTemplate(sender, welcome([]))).toMatchObject({ ok: false, error: { code: 132000 } });
      expect((await clients.listTemplates({ ...sender, wabaId })).find((t) => t.name === 'welcome_offer')).toMatchObject({
        id: created.id,
        status: 'APPROVED',
      });
    });

    it('rejects names starting with reject_ with the reason, and refuses a submission without the examples Meta requires', async () => {
      sandbox.configure({ templateReview: { delayMs: 10 } });
      const waba = { ...sender, wabaId: '100000000000001' };
      const body = (name: string, example?: unknown) => ({
        name,
        language: 'en_US',
        category: 'UTILITY',
        parameter_format: 'positional' as const,
        components: [{ type: 'BODY', text: 'Order {{1}} is ready', ...(example ? { example } : {}) }],
      });
      await clients.submitTemplate(waba, body('reject_me', { body_text: [['A-1']] }));
      const review = await waitForChange(receiver, 'message_template_status_update');
      expect(parseWebhook(review.body)).toEqual([
        expect.objectContaining({
          kind: 'template_status',
          name: 'reject_me',
          status: 'REJECTED',
          reason: expect.stringMatching(/reject_/),
        }),
      ]);

      await expect(clients.submitTemplate(waba, body('no_example'))).rejects.toMatchObject({
        code: 'UPSTREAM',
        details: { whatsapp: { code: 100, httpStatus: 400, details: 'BODY: example.body_text needs 1 sample value(s), one per variable' } },
      });
      await expect(clients.submitTemplate(waba, body('reject_me', { body_text: [['A-1']] }))).rejects.toMatchObject({
        details: { whatsapp: { code: 100, details: expect.stringMatching(/already en_US content/) } },
      });
    });

    it('answers unknown paths with a Graph error, not a crash', async () => {
      const response = await request(`${sandbox.url}/v23.0/123/unknown_edge`, { method: 'POST', body: '{}' });
      expect(response.statusCode).toBe(400);
      expect(await response.body.json()).toMatchObject({ error: { code: 100 } });
    });
  });
});

/** The first webhook received carrying a change of `field` (polled: the review is asynchronous). */
async function waitForChange(receiver: Receiver, field: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = receiver.received.find((w) =>
      (w.body as WebhookPayload).entry?.some((e) => e.changes.some((c) => (c.field as string) === field)),
    );
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${field} webhook within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function getJson(url: string) {
  const response = await request(url);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await response.body.json()) as any;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await request(url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await response.body.json()) as any;
}
