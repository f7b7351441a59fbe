/** A query string for plain links (exports), skipping empty values; arrays as repeated keys. */
export function toQueryString(query: Record<string, string | number | string[] | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => p.append(key, v));
    else p.set(key, String(value));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
