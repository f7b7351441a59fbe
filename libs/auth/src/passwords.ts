import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounds the work one request can ask of argon2. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * argon2id with the library's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommended
 * minimum, about 30 ms here. The PHC string keeps the parameters, so raising them later
 * still verifies old hashes.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

/** The digests are compared in constant time by the library (RustCrypto's argon2, via `subtle`). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash signs nobody in
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash no password matches, made with the same parameters as real ones: checking an unknown
 * email against it costs as long as checking a known one, so timing does not tell them apart.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}
