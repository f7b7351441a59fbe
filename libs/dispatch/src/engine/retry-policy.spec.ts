import { ErrorClass, WhatsAppError } from '@clarion/whatsapp';
import { backoffMs, decide } from './retry-policy';

const settings = { maxAttempts: 3, baseDelayMs: 1_000, pairRateDelayMs: 6_000 };
const err = (errorClass: ErrorClass, code = 1): WhatsAppError => ({ code, title: 't', message: 'm', errorClass });

describe('retry policy', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1_000, 1, () => 0)).toBe(500);
    expect(backoffMs(1_000, 1, () => 1)).toBe(1_000);
    expect(backoffMs(1_000, 3, () => 1)).toBe(4_000);
    expect(backoffMs(1_000, 30, () => 1)).toBe(300_000);
  });

  it('retries transient errors until the attempt limit, then fails', () => {
    expect(decide(err(ErrorClass.Transient), 0, settings)).toMatchObject({ kind: 'retry', countsAsAttempt: true });
    expect(decide(err(ErrorClass.Transient), 2, settings)).toEqual({ kind: 'fail' });
  });

  it("treats 130429 as the sender's problem, 131056 as a later retry, 131049 as 24 h", () => {
    expect(decide(err(ErrorClass.Throughput, 130429), 9, settings)).toMatchObject({ kind: 'retry', countsAsAttempt: false });
    const pair = decide(err(ErrorClass.PairRate, 131056), 0, settings);
    expect(pair.kind === 'retry' && pair.delayMs).toBeGreaterThanOrEqual(6_000);
    expect(decide(err(ErrorClass.FrequencyCap, 131049), 0, settings)).toMatchObject({ kind: 'retry', delayMs: 86_400_000 });
  });

  it('stops the sender on auth errors and the spam limit, fails permanent errors', () => {
    expect(decide(err(ErrorClass.Auth, 190), 0, settings)).toMatchObject({ kind: 'stop_sender', reason: 'auth' });
    expect(decide(err(ErrorClass.SpamLimit, 131048), 0, settings)).toMatchObject({ kind: 'stop_sender', reason: 'spam' });
    expect(decide(err(ErrorClass.Permanent, 131026), 0, settings)).toEqual({ kind: 'fail' });
  });
});
