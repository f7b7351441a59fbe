import { DomainError } from '@clarion/common';
import { parseColumnMapping, resolveMapping } from './column-mapping';

describe('resolveMapping (guessed from headers)', () => {
  it.each([
    ['Phone'],
    ['phone number'],
    ['Phone_Number'],
    ['MOBILE'],
    ['Mobile No.'],
    ['WhatsApp Number'],
    ['whatsapp'],
    ['msisdn'],
    ['Contact Number'],
  ])('finds the phone column in %j', (header) => {
    expect(resolveMapping(['Name', header, 'City']).phone).toBe(1);
  });

  it('keeps every other column as an attribute under its original header', () => {
    const m = resolveMapping(['Phone', 'Full Name', 'City', 'Signup Date']);
    expect(m.name).toEqual([1]);
    expect(m.attributes).toEqual([
      { index: 2, key: 'City', jsonKey: '"City"' },
      { index: 3, key: 'Signup Date', jsonKey: '"Signup Date"' },
    ]);
  });

  it('reads WATI-style CountryCode + Phone columns', () => {
    const m = resolveMapping(['CountryCode', 'Phone', 'Name']);
    expect(m).toMatchObject({ phone: 1, countryCode: 0, name: [2] });
    expect(m.attributes).toEqual([]);
  });

  it('joins First Name + Last Name (and keeps them as attributes)', () => {
    const m = resolveMapping(['First Name', 'Last Name', 'Mobile']);
    expect(m.name).toEqual([0, 1]);
    expect(m.attributes.map((a) => a.key)).toEqual(['First Name', 'Last Name']);
  });

  it('fails with one clear message when no column holds phones', () => {
    expect(() => resolveMapping(['Name', 'City'])).toThrow(/no phone column.*columns found: Name, City/);
  });
});

describe('resolveMapping (explicit)', () => {
  it('uses the named columns, matching case- and space-insensitively', () => {
    const m = resolveMapping(['Cust', 'Tel', 'Town', 'Notes'], { phone: 'tel', name: 'CUST', attributes: ['Town'] });
    expect(m).toMatchObject({ phone: 1, name: [0], attributes: [{ index: 2, key: 'Town', jsonKey: '"Town"' }] });
  });

  it('names a column that is not in the header', () => {
    expect(() => resolveMapping(['Phone'], { phone: 'Mobile' })).toThrow(
      "mapping.phone names column 'Mobile', which is not in the header (columns: Phone)",
    );
  });
});

describe('parseColumnMapping', () => {
  it('accepts JSON text or an object', () => {
    expect(parseColumnMapping('{"phone":"Mobile","attributes":["City"]}')).toEqual({ phone: 'Mobile', attributes: ['City'] });
  });
  it.each([['not json'], ['[1]'], ['{"phone":3}'], ['{"telephone":"x"}'], ['{"attributes":"City"}']])('refuses %j', (raw) => {
    expect(() => parseColumnMapping(raw)).toThrow(DomainError);
  });
});
