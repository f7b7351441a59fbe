import { randomBytes } from 'node:crypto';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const cipher = TokenCipher.fromConfig(randomBytes(32).toString('hex'), 'test');

  it('round-trips a token and never stores it in clear', () => {
    const sealed = cipher.encrypt('EAAG-secret-token');
    expect(sealed).not.toContain('EAAG');
    expect(cipher.decrypt(sealed)).toBe('EAAG-secret-token');
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses a tampered ciphertext or another key', () => {
    const sealed = cipher.encrypt('EAAG-secret-token');
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3], 'base64');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), flipped.toString('base64')].join(':'))).toThrow();
    expect(() => TokenCipher.fromConfig(randomBytes(32).toString('base64'), 'test').decrypt(sealed)).toThrow();
  });

  it('stops a production boot without a key, naming the variable', () => {
    expect(() => TokenCipher.fromConfig(undefined, 'production')).toThrow(/CLARION_ENCRYPTION_KEY is required in production/);
  });

  it('falls back to the development key outside production', () => {
    const dev = TokenCipher.fromConfig(undefined, 'development');
    expect(dev.decrypt(dev.encrypt('x'))).toBe('x');
  });
});
