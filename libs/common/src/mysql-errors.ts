/** True for MySQL's duplicate-key error, whether TypeORM wrapped the driver's error or not. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    (error as { code?: string })?.code === 'ER_DUP_ENTRY' ||
    (error as { driverError?: { code?: string } })?.driverError?.code === 'ER_DUP_ENTRY'
  );
}

/** True for InnoDB's deadlock error (1213): the transaction was rolled back whole and may be run again. */
export function isDeadlockError(error: unknown): boolean {
  const e = error as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  return (
    e?.errno === 1213 || e?.code === 'ER_LOCK_DEADLOCK' || e?.driverError?.errno === 1213 || e?.driverError?.code === 'ER_LOCK_DEADLOCK'
  );
}
