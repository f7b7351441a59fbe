import { CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string; country: string | null } | { ok: false; reason: string };

/** True for an ISO 3166 alpha-2 code libphonenumber knows (upper case). */
export function isKnownCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

const quote = (raw: string) => `'${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}'`;

/**
 * Normalises one phone cell to E.164 with libphonenumber's full ("max") metadata, so digit
 * patterns are checked, not only lengths. `countryCode` is a separate calling-code cell
 * (WATI-style sheets: "91" + "98765 43210"); `defaultCountry` applies to national numbers.
 */
export function normalisePhone(raw: string, defaultCountry: string | undefined, countryCode?: string): PhoneResult {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'no phone in this row' };
  const callingCode = countryCode ? countryCode.replace(/\D/g, '') : '';
  const parsed = callingCode && !text.startsWith('+')
    ? parsePhoneNumberFromString(text, { defaultCallingCode: callingCode })
    : parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined);
  if (parsed && parsed.isValid()) return { ok: true, e164: parsed.number, country: parsed.country ?? null };
  if (callingCode) return { ok: false, reason: `invalid phone ${quote(text)} for country code +${callingCode}` };
  if (defaultCountry) return { ok: false, reason: `invalid phone ${quote(text)} for country ${defaultCountry}` };
  return { ok: false, reason: `invalid phone ${quote(text)}: no country code, and no defaultCountry given for national numbers` };
}
