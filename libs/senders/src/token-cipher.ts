import { Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/** Used outside production when no key is configured, so a demo runs; never safe for real tokens. */
const DEVELOPMENT_KEY = createHash('sha256').update('clarion-development-encryption-key').digest();

/**
 * Encrypts senders' access tokens at rest with AES-256-GCM: `v1:<iv>:<tag>:<ciphertext>`
 * (base64), a fresh random IV each time, the tag authenticating the ciphertext.
 */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
  }

  /**
   * The cipher for CLARION_ENCRYPTION_KEY (64 hex characters or base64 of 32 bytes). In
   * production a missing key stops the process; elsewhere a fixed development key is used,
   * with a warning.
   */
  static fromConfig(rawKey: string | undefined, nodeEnv: string): TokenCipher {
    if (rawKey) return new TokenCipher(/^[0-9a-fA-F]{64}$/.test(rawKey) ? Buffer.from(rawKey, 'hex') : Buffer.from(rawKey, 'base64'));
    if (nodeEnv === 'production') {
      throw new Error(
        "CLARION_ENCRYPTION_KEY is required in production: set it to 32 random bytes (e.g. `openssl rand -hex 32`); it encrypts senders' access tokens",
      );
    }
    new Logger(TokenCipher.name).warn(
      'CLARION_ENCRYPTION_KEY is not set: using the fixed development key; access tokens are NOT safely encrypted',
    );
    return new TokenCipher(DEVELOPMENT_KEY);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  /** Throws if the ciphertext was altered or encrypted under another key. */
  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('access token ciphertext is not in a known format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }
}
