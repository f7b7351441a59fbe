import { SANDBOX_APP_SECRET } from '@clarion/whatsapp';
import { isLoopbackHost, resolveWebhookSecret } from './webhook-secret';

describe('resolveWebhookSecret', () => {
  const refused = { secret: null, reason: expect.stringContaining('WHATSAPP_APP_SECRET') };

  it('uses the configured app secret, in production too', () => {
    expect(resolveWebhookSecret('my-app-secret', 'http://127.0.0.1:4000', 'development')).toEqual({
      secret: 'my-app-secret',
      sandbox: false,
    });
    expect(resolveWebhookSecret('my-app-secret', 'https://graph.facebook.com', 'production')).toEqual({
      secret: 'my-app-secret',
      sandbox: false,
    });
  });

  it.each(['http://127.0.0.1:4010', 'http://127.8.9.10:4010', 'http://localhost:4010', 'http://LOCALHOST:4010', 'http://[::1]:4010'])(
    'falls back to the sandbox secret outside production for a loopback Graph URL %s',
    (url) => {
      expect(resolveWebhookSecret(undefined, url, 'development')).toEqual({ secret: SANDBOX_APP_SECRET, sandbox: true });
      expect(resolveWebhookSecret(undefined, url, 'test')).toEqual({ secret: SANDBOX_APP_SECRET, sandbox: true });
    },
  );

  it.each([
    'http://127.0.0.1.nip.io:4010',
    'http://127.evil.com',
    'http://localhost.evil.com:4010',
    'http://evil-localhost:4010',
    'http://[::2]:4010',
    'http://128.0.0.1:4010',
    'https://graph.facebook.com',
    'not a url',
  ])('refuses webhooks without a secret for a Graph URL that is not loopback: %s', (url) => {
    expect(resolveWebhookSecret(undefined, url, 'development')).toEqual(refused);
  });

  it('never accepts the sandbox secret in production, even with a loopback Graph URL', () => {
    for (const url of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
      expect(resolveWebhookSecret(undefined, url, 'production')).toEqual(refused);
    }
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['[::1]', true],
    ['127.0.0.1.nip.io', false],
    ['localhost.evil.com', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
