import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens are 32 random bytes, so a plain SHA-256 is enough to store them: there is
 * nothing to brute-force that a slow hash would protect.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return `clr_${randomBytes(32).toString('base64url')}`;
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
