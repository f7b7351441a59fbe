import { breachesErrorPolicy, errorPolicyReason } from './error-policy';

describe('breachesErrorPolicy', () => {
  const policy = { maxFailureRate: 0.2, minSample: 50 };

  it('waits for the minimum sample', () => {
    expect(breachesErrorPolicy({ failed: 49, attempted: 49 }, policy)).toBe(false);
    expect(breachesErrorPolicy({ failed: 0, attempted: 0 }, { maxFailureRate: 0, minSample: 0 })).toBe(false);
  });

  it('breaches only above the rate', () => {
    expect(breachesErrorPolicy({ failed: 10, attempted: 50 }, policy)).toBe(false);
    expect(breachesErrorPolicy({ failed: 11, attempted: 50 }, policy)).toBe(true);
  });
});

describe('errorPolicyReason', () => {
  it('names the policy, the figures and the commonest codes', () => {
    const reason = errorPolicyReason({ failed: 30, attempted: 100 }, { maxFailureRate: 0.2, minSample: 50 }, [
      { code: 131026, count: 20 },
      { code: 131050, count: 10 },
      { code: null, count: 1 },
    ]);
    expect(reason).toBe(
      'error policy: 30 of 100 sends failed (30% > 20%), refused or reported failed; most common: 131026 × 20, 131050 × 10; fix the cause, then resume',
    );
  });
});
