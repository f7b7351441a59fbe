/** True for MySQL's duplicate-key error, whether TypeORM wrapped the driver's error or not. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    (error as { code?: string })?.code === 'ER_DUP_ENTRY' ||
    (error as { driverError?: { code?: string } })?.driverError?.code === 'ER_DUP_ENTRY'
  );
}
