import { parseOptions } from '@node-rs/argon2';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id, salted, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$/);
    expect(a).not.toBe(b);
    await expect(verifyPassword(a, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(a, 'correct horse battery ')).resolves.toBe(false);
  });

  it('treats a malformed stored hash as no match', async () => {
    await expect(verifyPassword('not a hash', 'whatever it is')).resolves.toBe(false);
  });

  it('checks unknown emails against a dummy hash as costly as a real one', async () => {
    const dummy = await dummyPasswordHash();
    const real = await hashPassword('some password here');
    expect(parseOptions(dummy)).toEqual(parseOptions(real));
    await expect(dummyPasswordHash()).resolves.toBe(dummy);
  });
});
