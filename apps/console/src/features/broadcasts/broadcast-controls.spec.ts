import { allowedActions } from './broadcast-controls';

describe('allowedActions (the controls a broadcast page offers)', () => {
  it('pauses or cancels one that is sending, also while it waits for quota', () => {
    expect(allowedActions('running', 0)).toEqual(['pause', 'cancel']);
    expect(allowedActions('waiting_quota', 3)).toEqual(['pause', 'cancel']);
  });

  it('resumes or cancels a paused one, and retries its failures so far', () => {
    expect(allowedActions('paused', 0)).toEqual(['resume', 'cancel']);
    expect(allowedActions('paused', 2)).toEqual(['resume', 'cancel', 'retryFailed']);
  });

  it('cancels or deletes a scheduled one, and only deletes a draft', () => {
    expect(allowedActions('scheduled', 0)).toEqual(['cancel', 'delete']);
    expect(allowedActions('draft', 0)).toEqual(['delete']);
  });

  it('offers only "retry failed" on an ended one, and only when something failed', () => {
    for (const status of ['completed', 'cancelled', 'failed'] as const) {
      expect(allowedActions(status, 4)).toEqual(['retryFailed']);
      expect(allowedActions(status, 0)).toEqual([]);
    }
  });
});
