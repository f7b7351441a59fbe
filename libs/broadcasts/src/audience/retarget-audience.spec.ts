import { isRetargetAudience, parseRetargetAudience } from './retarget-audience';

describe('parseRetargetAudience', () => {
  it('normalises statuses into one order without repeats, and keeps retryable only when true', () => {
    expect(parseRetargetAudience({ broadcastId: 7, statuses: ['read', 'failed', 'read'] })).toEqual({
      broadcastId: 7,
      statuses: ['read', 'failed'],
    });
    expect(parseRetargetAudience({ broadcastId: 7, statuses: ['failed'], retryable: true })).toEqual({
      broadcastId: 7,
      statuses: ['failed'],
      retryable: true,
    });
    expect(parseRetargetAudience({ broadcastId: 7, statuses: ['replied'], retryable: false })).toEqual({
      broadcastId: 7,
      statuses: ['replied'],
    });
  });

  it.each([
    [{ broadcastId: 0, statuses: ['read'] }, /broadcastId must be a positive integer/],
    [{ broadcastId: 1, statuses: 'read' }, /statuses must be a non-empty array/],
    [{ broadcastId: 1, statuses: ['opened'] }, /"opened" is not one of queued, sent, delivered, read, replied, failed, skipped/],
    [{ broadcastId: 1, statuses: ['read'], tags: ['x'] }, /takes statuses and retryable only \(got tags\)/],
    [{ broadcastId: 1, statuses: ['read'], retryable: 'yes' }, /retryable must be true or false/],
  ])('refuses %j', (value, message) => {
    expect(() => parseRetargetAudience(value as Record<string, unknown>)).toThrow(message);
  });

  it('tells a re-targeting audience from a contacts one', () => {
    expect(isRetargetAudience({ broadcastId: 1, statuses: ['read'] })).toBe(true);
    expect(isRetargetAudience({ listId: 1 })).toBe(false);
    expect(isRetargetAudience(null)).toBe(false);
  });
});
