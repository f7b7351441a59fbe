import { retryableWriteError, splitExpiredClaims } from './recipient-claims';

describe('retryableWriteError', () => {
  it('retries lock conflicts as lock errors', () => {
    expect(retryableWriteError({ driverError: { errno: 1213 } })).toBe('lock');
    expect(retryableWriteError({ errno: 1205 })).toBe('lock');
  });

  it('retries lost or killed connections as lost (the write may have committed)', () => {
    expect(retryableWriteError({ code: 'PROTOCOL_CONNECTION_LOST' })).toBe('lost');
    expect(retryableWriteError({ driverError: { errno: 1927, code: 'ER_CONNECTION_KILLED' } })).toBe('lost');
    expect(retryableWriteError({ errno: 2013 })).toBe('lost');
    expect(retryableWriteError(new Error("Can't add new command when connection is in closed state"))).toBe('lost');
  });

  it('does not retry other errors', () => {
    expect(retryableWriteError({ errno: 1064, code: 'ER_PARSE_ERROR' })).toBeNull();
    expect(retryableWriteError(new Error('boom'))).toBeNull();
    expect(retryableWriteError(undefined)).toBeNull();
  });
});

describe('splitExpiredClaims', () => {
  it('marks expired claims with a known wamid accepted and hands the rest back, per broadcast', () => {
    const split = splitExpiredClaims([
      { id: '1', broadcast_id: '7', wamid: 'wamid.A' },
      { id: '2', broadcast_id: '7', wamid: null },
      { id: 3, broadcast_id: 8, wamid: null },
      { id: 4, broadcast_id: 7, wamid: '' },
    ]);
    expect([...split.entries()]).toEqual([
      [7, { accepted: [1], pending: [2, 4] }],
      [8, { accepted: [], pending: [3] }],
    ]);
  });

  it('has nothing to do without expired claims', () => {
    expect(splitExpiredClaims([]).size).toBe(0);
  });
});
