import { isDeadlockError, isDuplicateKeyError } from './mysql-errors';

describe('isDeadlockError', () => {
  it('recognises InnoDB deadlocks, wrapped by TypeORM or not', () => {
    expect(isDeadlockError({ driverError: { errno: 1213, code: 'ER_LOCK_DEADLOCK' } })).toBe(true);
    expect(isDeadlockError({ errno: 1213 })).toBe(true);
    expect(isDeadlockError({ code: 'ER_LOCK_DEADLOCK' })).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isDeadlockError({ driverError: { errno: 1205 } })).toBe(false);
    expect(isDeadlockError(new Error('boom'))).toBe(false);
    expect(isDeadlockError(undefined)).toBe(false);
    expect(isDuplicateKeyError({ code: 'ER_LOCK_DEADLOCK' })).toBe(false);
  });
});
