import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The app secret the sandbox signs its webhooks with. Used only when WHATSAPP_APP_SECRET is
 * unset and WHATSAPP_GRAPH_URL points at a loopback host (a local sandbox), never otherwise.
 */
export const SANDBOX_APP_SECRET = 'clarion-sandbox-app-secret';

const PREFIX = 'sha256=';

/** `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, as Meta sends it. */
export function signPayload(rawBody: Buffer | string, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Checks Meta's `X-Hub-Signature-256` header over the exact bytes received (re-serialised
 * JSON would not match). Constant-time compare; a missing or malformed header is false.
 */
export function verifySignature(rawBody: Buffer | string | undefined, header: string | string[] | undefined, secret: string): boolean {
  if (rawBody === undefined || typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const given = Buffer.from(header.slice(PREFIX.length).trim().toLowerCase(), 'utf8');
  const expected = Buffer.from(signPayload(rawBody, secret).slice(PREFIX.length), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
