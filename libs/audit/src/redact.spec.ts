import { CHANGED_SECRET, diff, REDACTED, redact } from './redact';

describe('audit redaction', () => {
  it('replaces passwords, tokens, secrets and ciphertexts at any depth', () => {
    expect(
      redact({
        email: 'a@b.c',
        password: 'hunter22222',
        nested: { accessToken: 'EAAG', access_token_enc: 'v1:x', list: [{ secret: 's' }] },
      }),
    ).toEqual({
      email: 'a@b.c',
      password: REDACTED,
      nested: { accessToken: REDACTED, access_token_enc: REDACTED, list: [{ secret: REDACTED }] },
    });
  });

  it('keeps only what changed, and shows a rotated secret as changed without its value', () => {
    const before = { id: 1, name: 'Main', throughput_mps: 80, access_token_enc: 'v1:old', updated_at: new Date(1) };
    const after = { id: 1, name: 'Main', throughput_mps: 200, access_token_enc: 'v1:new', updated_at: new Date(2) };
    expect(diff(before, after)).toEqual({
      before: { throughput_mps: 80, access_token_enc: REDACTED },
      after: { throughput_mps: 200, access_token_enc: CHANGED_SECRET },
    });
  });

  it('treats a missing side as a creation or a deletion', () => {
    expect(diff(null, { id: 2, password_hash: 'x' })).toEqual({ before: null, after: { id: 2, password_hash: REDACTED } });
    expect(diff({ id: 2 }, null)).toEqual({ before: { id: 2 }, after: null });
  });
});
