import { getCountry } from 'countries-and-timezones';
import parsePhoneNumber from 'libphonenumber-js';
import { IANAZone } from 'luxon';

/**
 * The zone most of a country's people live in, for countries spanning several; every other
 * country's own (first-listed) zone is taken from countries-and-timezones.
 */
const REPRESENTATIVE_ZONE: Record<string, string> = {
  US: 'America/New_York',
  CA: 'America/Toronto',
  MX: 'America/Mexico_City',
  BR: 'America/Sao_Paulo',
  AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  KZ: 'Asia/Almaty',
  UZ: 'Asia/Tashkent',
  MN: 'Asia/Ulaanbaatar',
  CN: 'Asia/Shanghai',
  ID: 'Asia/Jakarta',
  MY: 'Asia/Kuala_Lumpur',
  AU: 'Australia/Sydney',
  NZ: 'Pacific/Auckland',
  CD: 'Africa/Kinshasa',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
  DE: 'Europe/Berlin',
  GL: 'America/Nuuk',
  PG: 'Pacific/Port_Moresby',
  FM: 'Pacific/Pohnpei',
  KI: 'Pacific/Tarawa',
  PF: 'Pacific/Tahiti',
  CY: 'Asia/Nicosia',
};

/** What zone resolution needs from a contact. */
export interface ZonedContact {
  phone: string;
  country: string | null;
  attributes: Record<string, string> | null;
}

const countryZoneCache = new Map<string, string | null>();

/** A representative IANA zone for an ISO 3166 alpha-2 country, or null when unknown. */
export function zoneOfCountry(country: string): string | null {
  const code = country.toUpperCase();
  if (countryZoneCache.has(code)) return countryZoneCache.get(code) ?? null;
  const zone = REPRESENTATIVE_ZONE[code] ?? getCountry(code)?.timezones?.[0] ?? null;
  const valid = zone !== null && IANAZone.isValidZone(zone) ? zone : null;
  countryZoneCache.set(code, valid);
  return valid;
}

/** Whether `zone` is an IANA zone name luxon knows (e.g. "Asia/Kolkata"). */
export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

/**
 * The time zone a contact's clock is read in (a sequence's send window, a broadcast's
 * recipient-local time and quiet hours): its `timezone` attribute when that names a real zone,
 * else its phone number's country's zone, else the campaign's zone, else UTC.
 */
export function zoneOfContact(contact: ZonedContact, sequenceZone: string | null): string {
  const own = contact.attributes?.timezone ?? contact.attributes?.time_zone ?? contact.attributes?.tz;
  if (isValidZone(own)) return own;
  const country = contact.country ?? countryOfPhone(contact.phone);
  const byCountry = country ? zoneOfCountry(country) : null;
  if (byCountry) return byCountry;
  return isValidZone(sequenceZone) ? sequenceZone : 'UTC';
}

function countryOfPhone(phone: string): string | null {
  try {
    return parsePhoneNumber(phone)?.country ?? null;
  } catch {
    return null;
  }
}
