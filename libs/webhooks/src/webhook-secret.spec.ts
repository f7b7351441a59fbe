import { SANDBOX_APP_SECRET } from '@clarion/whatsapp';
import { resolveWebhookSecret } from './webhook-secret';

describe('resolveWebhookSecret', () => {
  it('uses the configured app secret', () => {
    expect(resolveWebhookSecret('my-app-secret', 'http://127.0.0.1:4000')).toEqual({ secret: 'my-app-secret', sandbox: false });
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010'])(
    'falls back to the sandbox secret for a loopback Graph URL %s',
    (url) => {
      expect(resolveWebhookSecret(undefined, url)).toEqual({ secret: SANDBOX_APP_SECRET, sandbox: true });
    },
  );

  it('refuses webhooks without a secret when talking to the real Graph API', () => {
    expect(resolveWebhookSecret(undefined, 'https://graph.facebook.com')).toEqual({
      secret: null,
      reason: expect.stringContaining('WHATSAPP_APP_SECRET'),
    });
  });
});
