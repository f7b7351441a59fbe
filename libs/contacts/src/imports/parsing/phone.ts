import { CountryCode, isSupportedCountry, parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString as parseMobile } from 'libphonenumber-js/mobile';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * libphonenumber-js compiles a new RegExp from pattern text on every digit check
 * (build/helpers/matchesEntirely): validating a million numbers spends a fifth of its time
 * there. Caching the compiled expression per pattern gives identical answers (no g/y flag, so
 * `test()` keeps no state; the patterns come from the fixed metadata, so the cache is bounded).
 * Should a later version move the helper, the library simply runs unpatched.
 */
function cacheLibphonenumberPatterns(): boolean {
  try {
    const load = createRequire(__filename);
    const helper = load(join(dirname(load.resolve('libphonenumber-js/package.json')), 'build/helpers/matchesEntirely.js')) as {
      default?: unknown;
    };
    if (typeof helper.default !== 'function') return false;
    if ((helper.default as { cachedPatterns?: boolean }).cachedPatterns) return true;
    const compiled = new Map<string, RegExp>();
    const matchesEntirely = (text: string | undefined, pattern: string): boolean => {
      let expression = compiled.get(pattern);
      if (!expression) compiled.set(pattern, (expression = new RegExp(`^(?:${pattern})$`)));
      return expression.test(text || '');
    };
    helper.default = Object.assign(matchesEntirely, { cachedPatterns: true });
    return true;
  } catch {
    return false;
  }
}

/** Whether the pattern cache is in place (see above). */
export const LIBPHONENUMBER_PATTERNS_CACHED = cacheLibphonenumberPatterns();

export type PhoneResult = { ok: true; e164: string; country: string | null } | { ok: false; reason: string };

/** True for an ISO 3166 alpha-2 code libphonenumber knows (upper case). */
export function isKnownCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

const quote = (raw: string) => `'${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}'`;

type Parse = typeof parseMax;

/**
 * Valid per libphonenumber's full ("max") metadata: digit patterns are checked, not only
 * lengths. The mobile-only metadata is tried first because it is twice as fast and nearly
 * every WhatsApp number is a mobile; a number it rejects (a landline, or an invalid one) gets
 * the full check, so the verdict is always the full metadata's.
 */
function parseValid(parse: (p: Parse) => ReturnType<Parse>): ReturnType<Parse> | undefined {
  const mobile = parse(parseMobile as Parse);
  if (mobile && mobile.isValid()) return mobile;
  const full = parse(parseMax);
  return full && full.isValid() ? full : undefined;
}

/**
 * Normalises one phone cell to E.164. `countryCode` is a separate calling-code cell
 * (WATI-style sheets: "91" + "98765 43210"); `defaultCountry` applies to national numbers.
 */
export function normalisePhone(raw: string, defaultCountry: string | undefined, countryCode?: string): PhoneResult {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'no phone in this row' };
  const callingCode = countryCode ? countryCode.replace(/\D/g, '') : '';
  const parsed =
    callingCode && !text.startsWith('+')
      ? parseValid((parse) => parse(text, { defaultCallingCode: callingCode }))
      : parseValid((parse) => parse(text, defaultCountry as CountryCode | undefined));
  if (parsed) return { ok: true, e164: parsed.number, country: parsed.country ?? null };
  if (callingCode) return { ok: false, reason: `invalid phone ${quote(text)} for country code +${callingCode}` };
  if (defaultCountry) return { ok: false, reason: `invalid phone ${quote(text)} for country ${defaultCountry}` };
  return { ok: false, reason: `invalid phone ${quote(text)}: no country code, and no defaultCountry given for national numbers` };
}
