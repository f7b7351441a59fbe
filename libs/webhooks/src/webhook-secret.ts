import { SANDBOX_APP_SECRET } from '@clarion/whatsapp';

export type WebhookSecret = { secret: string; sandbox: boolean } | { secret: null; reason: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * The secret that signs Meta's webhooks. Without WHATSAPP_APP_SECRET webhooks are refused,
 * except when the Graph URL is a loopback host: then it is the local sandbox, which signs
 * with its well-known secret, so a demo runs with no configuration.
 */
export function resolveWebhookSecret(appSecret: string | undefined, graphUrl: string): WebhookSecret {
  if (appSecret) return { secret: appSecret, sandbox: false };
  let host = '';
  try {
    host = new URL(graphUrl).hostname;
  } catch {
    host = '';
  }
  if (LOOPBACK.has(host) || host.startsWith('127.')) return { secret: SANDBOX_APP_SECRET, sandbox: true };
  return { secret: null, reason: 'webhooks are refused: WHATSAPP_APP_SECRET is not set (set it to your Meta app secret)' };
}
