import { createServer } from 'node:net';
import {
  ErrorClass,
  HttpPools,
  LocalErrorCode,
  OnPremisesClient,
  WhatsAppClients,
  type SenderCredentials,
  type TemplateMessage,
} from '@clarion/whatsapp';
import { startSandbox, type Sandbox } from './support/sandbox';

const cloud: SenderCredentials = { id: 1, api: 'cloud', phoneNumberId: '1065400001', accessToken: 'good-token', wabaId: '100000000000001' };
const hello = (to: string, callback?: string): TemplateMessage => ({
  to,
  template: { name: 'hello_world', language: 'en_US' },
  bizOpaqueCallbackData: callback,
});
const orderUpdate = (to: string, params: string[]): TemplateMessage => ({
  to,
  template: {
    name: 'order_update',
    language: 'en_US',
    components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }],
  },
});

describe('WhatsApp clients against the sandbox', () => {
  let sandbox: Sandbox;
  let clients: WhatsAppClients;
  let next = 0;
  const recipient = () => `+1555${String(1_000_000 + next++).padStart(7, '0')}`;

  beforeAll(async () => {
    sandbox = await startSandbox({ config: { webhook: { url: null }, accessTokens: ['good-token'] } });
    clients = new WhatsAppClients({ graphUrl: sandbox.url, graphVersion: 'v23.0', http: { headersTimeoutMs: 400 } });
  });
  afterAll(async () => {
    await clients.close();
    await sandbox.close();
  });
  beforeEach(() => sandbox.reset());

  describe('CloudApiClient', () => {
    it('sends a template and the sandbox records it with the callback data', async () => {
      const to = recipient();
      const outcome = await clients.for(cloud).sendTemplate(cloud, hello(to, 'b42:r7'));
      expect(outcome).toEqual({ ok: true, wamid: expect.stringMatching(/^wamid\./) });
      const [entry] = sandbox.ledger({ phoneNumberId: cloud.phoneNumberId });
      expect(entry).toMatchObject({
        wamid: outcome.ok && outcome.wamid,
        to,
        template: { name: 'hello_world', language: 'en_US' },
        callbackData: 'b42:r7',
      });
    });

    it.each([
      [400, 130429],
      [429, 130429],
    ] as const)('classifies 130429 answered with HTTP %i as throughput', async (httpStatus, code) => {
      sandbox.configure({ throttleHttpStatus: httpStatus, faults: { errorRates: { [code]: 1 } } });
      const outcome = await clients.for(cloud).sendTemplate(cloud, hello(recipient()));
      expect(outcome).toMatchObject({ ok: false, error: { code, httpStatus, errorClass: ErrorClass.Throughput, subcode: 2494055 } });
    });

    it('hits the throughput cap of the number and classifies it as throughput', async () => {
      sandbox.configure({ phoneNumbers: { [cloud.phoneNumberId]: { mps: 3 } } });
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => clients.for(cloud).sendTemplate(cloud, hello(recipient()))));
      const refused = outcomes.filter((o) => !o.ok);
      expect(outcomes.filter((o) => o.ok).length).toBeLessThanOrEqual(3);
      expect(refused.length).toBeGreaterThanOrEqual(5);
      for (const o of refused) expect(o).toMatchObject({ error: { code: 130429, errorClass: ErrorClass.Throughput } });
    });

    it('classifies the pair rate limit (131056) for a recipient sent to too often', async () => {
      sandbox.configure({ pairRate: { maxMessages: 2, windowMs: 60_000 } });
      const to = recipient();
      const client = clients.for(cloud);
      await client.sendTemplate(cloud, hello(to));
      await client.sendTemplate(cloud, hello(to));
      expect(await client.sendTemplate(cloud, hello(to))).toMatchObject({
        ok: false,
        error: { code: 131056, errorClass: ErrorClass.PairRate },
      });
      expect(await client.sendTemplate(cloud, hello(recipient()))).toMatchObject({ ok: true });
    });

    it.each([
      [131000, ErrorClass.Transient],
      [2, ErrorClass.Transient],
      [133004, ErrorClass.Transient],
      [4, ErrorClass.Throughput],
      [131049, ErrorClass.FrequencyCap],
      [131048, ErrorClass.SpamLimit],
      [131026, ErrorClass.Permanent],
      [368, ErrorClass.Permanent],
      [10, ErrorClass.Auth],
    ])('classifies injected error %i as %s', async (code, errorClass) => {
      sandbox.configure({ faults: { errorRates: { [code]: 1 } } });
      expect(await clients.for(cloud).sendTemplate(cloud, hello(recipient()))).toMatchObject({ ok: false, error: { code, errorClass } });
    });

    it('treats a 5xx without a WhatsApp error body as transient', async () => {
      sandbox.configure({ faults: { serverErrorRate: 1 } });
      expect(await clients.for(cloud).sendTemplate(cloud, hello(recipient()))).toMatchObject({
        ok: false,
        error: { code: LocalErrorCode.HttpStatus, httpStatus: 502, errorClass: ErrorClass.Transient },
      });
    });

    it('treats a send that is never answered as a transient timeout', async () => {
      sandbox.configure({ faults: { timeoutRate: 1 } });
      expect(await clients.for(cloud).sendTemplate(cloud, hello(recipient()))).toMatchObject({
        ok: false,
        error: { code: LocalErrorCode.Timeout, errorClass: ErrorClass.Transient },
      });
    });

    it('treats a refused connection as transient', async () => {
      const port = await closedPort();
      const offline = new WhatsAppClients({ graphUrl: `http://127.0.0.1:${port}`, graphVersion: 'v23.0' });
      try {
        expect(await offline.for(cloud).sendTemplate(cloud, hello(recipient()))).toMatchObject({
          ok: false,
          error: { code: LocalErrorCode.Connection, errorClass: ErrorClass.Transient },
        });
      } finally {
        await offline.close();
      }
    });

    it('classifies a bad token (190, HTTP 401) as auth', async () => {
      const outcome = await clients.for(cloud).sendTemplate({ ...cloud, accessToken: 'stolen' }, hello(recipient()));
      expect(outcome).toMatchObject({ ok: false, error: { code: 190, httpStatus: 401, errorClass: ErrorClass.Auth } });
    });

    it('classifies an unknown template (132001) and a parameter count mismatch (132000) as permanent', async () => {
      const unknown = await clients
        .for(cloud)
        .sendTemplate(cloud, { to: recipient(), template: { name: 'no_such_template', language: 'en_US' } });
      expect(unknown).toMatchObject({ ok: false, error: { code: 132001, errorClass: ErrorClass.Permanent } });
      const mismatch = await clients.for(cloud).sendTemplate(cloud, orderUpdate(recipient(), ['Asha']));
      expect(mismatch).toMatchObject({
        ok: false,
        error: { code: 132000, errorClass: ErrorClass.Permanent, details: expect.stringContaining('expected number of params (2)') },
      });
      expect(await clients.for(cloud).sendTemplate(cloud, orderUpdate(recipient(), ['Asha', 'A-17']))).toMatchObject({ ok: true });
    });

    it('checks named parameters by name', async () => {
      const named = (names: string[]): TemplateMessage => ({
        to: recipient(),
        template: {
          name: 'order_confirmation',
          language: 'en_US',
          components: [{ type: 'body', parameters: names.map((n) => ({ type: 'text' as const, parameter_name: n, text: 'x' })) }],
        },
      });
      expect(await clients.for(cloud).sendTemplate(cloud, named(['first_name', 'order_number']))).toMatchObject({ ok: true });
      expect(await clients.for(cloud).sendTemplate(cloud, named(['first_name', 'order_id']))).toMatchObject({
        ok: false,
        error: { code: 132000 },
      });
    });
  });

  describe('Graph reads', () => {
    it('reads tier, throughput level and quality rating of a number', async () => {
      sandbox.configure({
        phoneNumbers: {
          [cloud.phoneNumberId]: { mps: 80, qualityRating: 'YELLOW', messagingLimitTier: 'TIER_1K', displayPhoneNumber: '15550009999' },
        },
      });
      expect(await clients.getPhoneNumberInfo(cloud)).toMatchObject({
        messagingLimitTier: 'TIER_1K',
        throughputLevel: 'STANDARD',
        qualityRating: 'YELLOW',
        displayPhoneNumber: '15550009999',
      });
    });

    it('lists every template, following paging.next', async () => {
      sandbox.configure({ templatesPageSize: 1 });
      const templates = await clients.listTemplates(cloud);
      expect(templates.map((t) => t.name).sort()).toEqual(['hello_world', 'order_confirmation', 'order_update', 'spring_sale']);
      expect(templates.every((t) => t.status === 'APPROVED' && typeof t.id === 'string')).toBe(true);
    });

    it('throws an UPSTREAM domain error carrying the classified error on a bad token', async () => {
      await expect(clients.getPhoneNumberInfo({ ...cloud, accessToken: 'stolen' })).rejects.toMatchObject({
        code: 'UPSTREAM',
        details: { whatsapp: { code: 190, errorClass: ErrorClass.Auth } },
      });
    });
  });

  describe('OnPremisesClient', () => {
    const onPrem = (): SenderCredentials => ({
      id: 2,
      api: 'onprem',
      phoneNumberId: 'op-1',
      accessToken: 'admin:sandbox-password',
      baseUrl: `${sandbox.url}/onprem/op-1`,
    });

    it('logs in once, sends, and reuses the token', async () => {
      const sender = onPrem();
      const client = clients.for(sender);
      expect(await client.sendTemplate(sender, hello(recipient(), 'cb'))).toMatchObject({
        ok: true,
        wamid: expect.stringMatching(/^wamid\./),
      });
      expect(await client.sendTemplate(sender, hello(recipient()))).toMatchObject({ ok: true });
      expect(sandbox.stats().onPremLogins).toBe(1);
      expect(sandbox.ledger({ phoneNumberId: 'op-1' })).toHaveLength(2);
    });

    it('logs in again before the token expires', async () => {
      let now = Date.now();
      const pools = new HttpPools();
      const client = new OnPremisesClient(pools, () => now);
      try {
        const sender = onPrem();
        await client.sendTemplate(sender, hello(recipient()));
        now += 7 * 24 * 3600_000 - 5 * 60_000; // 5 minutes before the 7-day expiry: inside the renewal margin
        expect(await client.sendTemplate(sender, hello(recipient()))).toMatchObject({ ok: true });
        expect(sandbox.stats().onPremLogins).toBe(2);
      } finally {
        await pools.close();
      }
    });

    it('logs in again, once, when the gateway no longer accepts its token', async () => {
      const sender = onPrem();
      await clients.for(sender).sendTemplate(sender, hello(recipient()));
      sandbox.reset(); // revokes issued tokens
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => clients.for(sender).sendTemplate(sender, hello(recipient()))));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(sandbox.stats().onPremLogins).toBe(1); // one new login shared by all the refused sends
    });

    it('reports wrong credentials as an auth error', async () => {
      const sender = { ...onPrem(), accessToken: 'admin:wrong' };
      expect(await clients.for(sender).sendTemplate(sender, hello(recipient()))).toMatchObject({
        ok: false,
        error: { errorClass: ErrorClass.Auth },
      });
    });

    it('uses a token without a colon as the bearer token', async () => {
      sandbox.configure({ accessTokens: ['gateway-token'] });
      const sender = { ...onPrem(), accessToken: 'gateway-token' };
      expect(await clients.for(sender).sendTemplate(sender, hello(recipient()))).toMatchObject({ ok: true });
      const bad = { ...onPrem(), accessToken: 'other-token' };
      expect(await clients.for(bad).sendTemplate(bad, hello(recipient()))).toMatchObject({
        ok: false,
        error: { code: 1005, errorClass: ErrorClass.Auth },
      });
      expect(sandbox.stats().onPremLogins).toBe(0);
    });

    it('classifies errors in the On-Premises shape by code', async () => {
      sandbox.configure({ faults: { errorRates: { 131056: 1 } } });
      const sender = onPrem();
      expect(await clients.for(sender).sendTemplate(sender, hello(recipient()))).toMatchObject({
        ok: false,
        error: { code: 131056, errorClass: ErrorClass.PairRate },
      });
    });
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
