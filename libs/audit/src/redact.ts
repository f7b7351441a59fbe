/** Keys whose values never reach the audit log: passwords, tokens, secrets and their hashes or ciphertexts. */
const SECRET_KEY = /(password|secret|token|hash|_enc$|Enc$|authorization|cookie)/i;

/** Keys that change on every write and say nothing about what was changed. */
const NOISE_KEYS = new Set(['updated_at', 'updatedAt', 'last_used_at', 'lastUsedAt']);

export const REDACTED = '[redacted]';
export const CHANGED_SECRET = '[changed]';

/** A copy of `value` with every secret-looking key's value replaced (objects and arrays, any depth). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1)]),
  );
}

/**
 * What changed between two snapshots of a row: only the keys whose values differ, each side
 * redacted. A secret that changed shows as `[changed]` (e.g. a sender's access token rotated),
 * never its value. No snapshot before means a creation (everything is after), none after a deletion.
 */
export function diff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  if (!before || !after)
    return { before: before && (redact(before) as Record<string, unknown>), after: after && (redact(after) as Record<string, unknown>) };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (NOISE_KEYS.has(key) || same(before[key], after[key])) continue;
    if (SECRET_KEY.test(key)) {
      b[key] = REDACTED;
      a[key] = CHANGED_SECRET;
    } else {
      b[key] = redact(before[key]);
      a[key] = redact(after[key]);
    }
  }
  return { before: b, after: a };
}

function same(x: unknown, y: unknown): boolean {
  const norm = (v: unknown) => JSON.stringify(v instanceof Date ? v.toISOString() : Buffer.isBuffer(v) ? v.toString('hex') : v);
  return norm(x) === norm(y);
}
