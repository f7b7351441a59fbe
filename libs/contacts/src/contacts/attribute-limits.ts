/**
 * Caps on a contact's attributes, the same through every path that writes them (the API,
 * bulk attributes, imports). They keep one contact's JSON small enough to read per send and
 * per export row; a value fills a template variable, which Meta caps far lower anyway.
 */
export const ATTRIBUTE_LIMITS = {
  /** Attributes one contact may hold (after a merge). */
  perContact: 200,
  /** Characters in an attribute's name. */
  keyLength: 64,
  /** Bytes (UTF-8) in one value: 4 KiB. */
  valueBytes: 4096,
} as const;

/** Why one attribute breaks a cap, or null. The reason names the cap. */
export function attributeCapBreach(key: string, value: string | null): string | null {
  if (key.length > ATTRIBUTE_LIMITS.keyLength)
    return `attribute name "${key.slice(0, 20)}…" is longer than ${ATTRIBUTE_LIMITS.keyLength} characters (the cap on names)`;
  if (value !== null && value.length * 3 > ATTRIBUTE_LIMITS.valueBytes && Buffer.byteLength(value) > ATTRIBUTE_LIMITS.valueBytes)
    return `attribute "${key}" is larger than ${ATTRIBUTE_LIMITS.valueBytes} bytes (the cap on values: 4 KiB)`;
  return null;
}

export const tooManyAttributes = (count: number): string =>
  `a contact may hold at most ${ATTRIBUTE_LIMITS.perContact} attributes (the cap per contact); this would make ${count}`;
