import type { ConfigService } from '@nestjs/config';
import { DomainError, ErrorCode } from '@clarion/common';
import type { Environment } from '@clarion/config';
import { SANDBOX_APP_SECRET, signPayload } from '@clarion/whatsapp';
import { ReceiveWebhook } from './receive-webhook.service';
import type { WebhookInbox } from './webhook-inbox.service';

/** ReceiveWebhook's decisions before anything is stored (storage itself is covered end to end). */
describe('ReceiveWebhook', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  function receiver(env: Partial<Environment>) {
    const stored: Buffer[] = [];
    const config = { get: (key: keyof Environment) => env[key] } as unknown as ConfigService<Environment, true>;
    const inbox = { store: async (b: Buffer) => void stored.push(b) } as unknown as WebhookInbox;
    return { service: new ReceiveWebhook(config, inbox), stored };
  }

  async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
    try {
      await promise;
    } catch (error) {
      return error as DomainError;
    }
    throw new Error('expected a refusal');
  }

  it('refuses every webhook, with a message naming the variable, when no app secret is set for the real Graph API', async () => {
    const { service, stored } = receiver({ WHATSAPP_GRAPH_URL: 'https://graph.facebook.com' });
    const error = await errorOf(service.receive(body, signPayload(body, 'whatever')));
    expect(error.code).toBe(ErrorCode.Unauthorized);
    expect(error.message).toMatch(/WHATSAPP_APP_SECRET is not set/);
    expect(stored).toHaveLength(0);
  });

  it('refuses a body signed with the sandbox secret in production, even with a loopback Graph URL', async () => {
    const { service, stored } = receiver({ NODE_ENV: 'production', WHATSAPP_GRAPH_URL: 'http://127.0.0.1:3999' });
    const error = await errorOf(service.receive(body, signPayload(body, SANDBOX_APP_SECRET)));
    expect(error.code).toBe(ErrorCode.Unauthorized);
    expect(error.message).toMatch(/WHATSAPP_APP_SECRET is not set/);
    expect(stored).toHaveLength(0);
  });

  it('stores a body signed with the sandbox secret outside production with a loopback Graph URL', async () => {
    const { service, stored } = receiver({ NODE_ENV: 'development', WHATSAPP_GRAPH_URL: 'http://127.0.0.1:3999' });
    await service.receive(body, signPayload(body, SANDBOX_APP_SECRET));
    expect(stored).toEqual([body]);
  });

  it('stores a body signed with the configured secret', async () => {
    const { service, stored } = receiver({ WHATSAPP_APP_SECRET: 'configured-secret', WHATSAPP_GRAPH_URL: 'https://graph.facebook.com' });
    await service.receive(body, signPayload(body, 'configured-secret'));
    expect(stored).toEqual([body]);
  });

  it('refuses a body that is missing (not posted as JSON)', async () => {
    const { service } = receiver({ WHATSAPP_APP_SECRET: 'configured-secret', WHATSAPP_GRAPH_URL: 'https://graph.facebook.com' });
    expect((await errorOf(service.receive(undefined, 'sha256=00'))).code).toBe(ErrorCode.Validation);
  });

  it('refuses the handshake when no verify token is configured', () => {
    const { service } = receiver({ WHATSAPP_GRAPH_URL: 'https://graph.facebook.com' });
    expect(() => service.handshake('subscribe', 'anything', '1')).toThrow(/WHATSAPP_VERIFY_TOKEN is not set/);
  });
});
