/** Parses a comma-separated keyword list (OPT_OUT_KEYWORDS, OPT_IN_KEYWORDS) into a lookup set. */
export function keywordSet(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((k) => normaliseKeyword(k))
      .filter((k) => k.length > 0),
  );
}

/** Any case, surrounding space and repeated inner space ignored: " stop  all " is "STOP ALL". */
export function normaliseKeyword(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toUpperCase();
}
