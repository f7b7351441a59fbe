/** MariaDB returns JSON columns as text, MySQL 8 as parsed values: accept both. */
export function parseJsonColumn(value: unknown): Record<string, string> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (value === '') return null;
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : null;
  }
  if (Buffer.isBuffer(value)) return parseJsonColumn(value.toString('utf8'));
  return value as Record<string, string>;
}
