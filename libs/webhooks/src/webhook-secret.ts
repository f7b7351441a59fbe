import { isIPv4 } from 'node:net';
import { SANDBOX_APP_SECRET } from '@clarion/whatsapp';

export type WebhookSecret = { secret: string; sandbox: boolean } | { secret: null; reason: string };

/**
 * Whether a URL host names this machine: `localhost`, an IPv4 literal in 127.0.0.0/8 or `[::1]`.
 * Only literals count: a name that merely starts with `127.` (`127.0.0.1.nip.io`) resolves anywhere.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * The secret that signs Meta's webhooks. Without WHATSAPP_APP_SECRET webhooks are refused,
 * except outside production with a Graph URL on loopback: then it is the local sandbox, which
 * signs with its well-known secret, so a demo runs with no configuration. Anyone can sign with
 * that secret, so production never accepts it (a production API without the secret does not boot).
 */
export function resolveWebhookSecret(appSecret: string | undefined, graphUrl: string, nodeEnv: string): WebhookSecret {
  if (appSecret) return { secret: appSecret, sandbox: false };
  if (nodeEnv !== 'production' && isLoopbackHost(hostOf(graphUrl))) return { secret: SANDBOX_APP_SECRET, sandbox: true };
  return { secret: null, reason: 'webhooks are refused: WHATSAPP_APP_SECRET is not set (set it to your Meta app secret)' };
}
