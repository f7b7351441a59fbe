import { DomainError } from '@clarion/common';
import type { ColumnMapping } from '../../entities/contact-import.entity';

/** Column positions the row validator reads; everything not consumed becomes an attribute. */
export interface ResolvedMapping {
  phone: number;
  countryCode: number | null;
  /** One name column, or first + last name columns joined with a space. */
  name: number[];
  attributes: Array<{ index: number; key: string; jsonKey: string }>;
  headers: string[];
}

const squash = (header: string) => header.toLowerCase().replace(/[\s_\-.()#/:]+/g, '');

const PHONE_HEADERS = [
  'phone',
  'phonenumber',
  'phoneno',
  'phonenum',
  'mobile',
  'mobilenumber',
  'mobileno',
  'mobilephone',
  'cell',
  'cellphone',
  'cellnumber',
  'whatsapp',
  'whatsappnumber',
  'whatsappno',
  'whatsappphone',
  'wanumber',
  'wano',
  'msisdn',
  'tel',
  'telephone',
  'contactnumber',
  'contactno',
  'number',
  'phonee164',
  'e164',
];
const COUNTRY_CODE_HEADERS = ['countrycode', 'dialcode', 'callingcode', 'isd', 'isdcode', 'cc', 'countrycallingcode', 'phonecode'];
const NAME_HEADERS = ['name', 'fullname', 'contactname', 'customername', 'displayname', 'clientname'];
const FIRST_NAME_HEADERS = ['firstname', 'givenname', 'fname'];
const LAST_NAME_HEADERS = ['lastname', 'surname', 'familyname', 'lname'];

function findHeader(squashed: string[], candidates: string[]): number {
  for (const candidate of candidates) {
    const index = squashed.indexOf(candidate);
    if (index !== -1) return index;
  }
  return -1;
}

/**
 * Resolves which column holds what. An explicit mapping names headers (matched exactly first,
 * then case/space-insensitively); otherwise columns are guessed from common header spellings
 * ("Phone Number", "WhatsApp Number", "Mobile", "msisdn", WATI's "CountryCode" + "Phone", …).
 * Throws a validation error (the import fails with its message) when no phone column is found.
 */
export function resolveMapping(headers: string[], explicit?: ColumnMapping): ResolvedMapping {
  const squashed = headers.map(squash);
  const locate = (wanted: string, field: string): number => {
    let index = headers.indexOf(wanted);
    if (index === -1) index = squashed.indexOf(squash(wanted));
    if (index === -1) {
      throw DomainError.validation(
        `mapping.${field} names column '${wanted}', which is not in the header (columns: ${headers.join(', ')})`,
      );
    }
    return index;
  };

  let phone: number;
  let countryCode: number | null = null;
  let name: number[] = [];
  if (explicit?.phone) {
    phone = locate(explicit.phone, 'phone');
  } else {
    phone = findHeader(squashed, PHONE_HEADERS);
    if (phone === -1) phone = squashed.findIndex((h) => /phone|mobile|whatsapp|msisdn/.test(h) && !COUNTRY_CODE_HEADERS.includes(h));
    if (phone === -1) {
      throw DomainError.validation(
        `no phone column: name one 'Phone', 'Mobile' or 'WhatsApp Number', or pass mapping.phone (columns found: ${headers.join(', ') || 'none'})`,
      );
    }
  }
  if (explicit?.countryCode) countryCode = locate(explicit.countryCode, 'countryCode');
  else if (!explicit?.phone) {
    const cc = findHeader(squashed, COUNTRY_CODE_HEADERS);
    countryCode = cc === -1 || cc === phone ? null : cc;
  }
  if (explicit?.name) name = [locate(explicit.name, 'name')];
  else {
    const full = findHeader(squashed, NAME_HEADERS);
    if (full !== -1) name = [full];
    else {
      const first = findHeader(squashed, FIRST_NAME_HEADERS);
      const last = findHeader(squashed, LAST_NAME_HEADERS);
      name = [first, last].filter((i) => i !== -1);
    }
  }

  const consumed = new Set<number>([phone, ...(countryCode === null ? [] : [countryCode]), ...(name.length === 1 ? name : [])]);
  let attributeIndexes: number[];
  if (explicit?.attributes) attributeIndexes = explicit.attributes.map((h) => locate(h, 'attributes'));
  else attributeIndexes = headers.map((_, i) => i).filter((i) => !consumed.has(i));
  const attributes = attributeIndexes
    .filter((i) => headers[i].trim() !== '')
    .map((index) => ({ index, key: headers[index].trim(), jsonKey: JSON.stringify(headers[index].trim()) }));
  return { phone, countryCode, name, attributes, headers };
}

/**
 * Checks a client-supplied mapping's shape (the API answers 400 with the message); column
 * names are checked against the header later, when the worker reads the file.
 */
export function parseColumnMapping(value: unknown): ColumnMapping {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw DomainError.validation('mapping must be JSON such as {"phone":"Mobile","name":"Customer","attributes":["City"]}');
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw DomainError.validation('mapping must be a JSON object such as {"phone":"Mobile"}');
  }
  const known = ['phone', 'countryCode', 'name', 'attributes'];
  const record = parsed as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !known.includes(k));
  if (unknown.length) throw DomainError.validation(`mapping has unknown keys: ${unknown.join(', ')} (allowed: ${known.join(', ')})`);
  for (const key of ['phone', 'countryCode', 'name']) {
    if (record[key] !== undefined && (typeof record[key] !== 'string' || !(record[key] as string).trim())) {
      throw DomainError.validation(`mapping.${key} must be a column name (a non-empty string)`);
    }
  }
  if (
    record.attributes !== undefined &&
    (!Array.isArray(record.attributes) || !record.attributes.every((a) => typeof a === 'string' && a.trim()))
  ) {
    throw DomainError.validation('mapping.attributes must be an array of column names');
  }
  return record as ColumnMapping;
}
