import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens and session ids are 32 random bytes, so a plain SHA-256 is enough to store them:
 * there is nothing to brute-force that a slow hash would protect. They are looked up by
 * their hash (an index), so no secret is ever compared byte by byte.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return `clr_${randomBytes(32).toString('base64url')}`;
}
