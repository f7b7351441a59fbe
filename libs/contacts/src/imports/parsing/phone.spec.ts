import { isKnownCountry, LIBPHONENUMBER_PATTERNS_CACHED, normalisePhone } from './phone';

describe('normalisePhone', () => {
  it.each([
    ['+91 98765 43210', '+919876543210'],
    ['098765 43210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['98765-43210', '+919876543210'],
    ['0091 98765 43210', '+919876543210'],
    ['+1 (212) 555-0123', '+12125550123'],
    ['+44 (0) 7400 123456', '+447400123456'],
  ])('reads %j with defaultCountry IN as %s', (raw, e164) => {
    expect(normalisePhone(raw, 'IN')).toEqual({ ok: true, e164, country: expect.any(String) });
  });

  it('accepts a valid landline too (full metadata), with its country', () => {
    expect(normalisePhone('+91 22 2345 6789', undefined)).toEqual({ ok: true, e164: '+912223456789', country: 'IN' });
  });

  it('explains what is wrong in words a marketer understands', () => {
    expect(normalisePhone('12345', 'IN')).toEqual({ ok: false, reason: "invalid phone '12345' for country IN" });
    expect(normalisePhone('  ', 'IN')).toEqual({ ok: false, reason: 'no phone in this row' });
    expect(normalisePhone('98765 43210', undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('no defaultCountry') });
  });

  it('combines a separate country-code cell with a national number', () => {
    expect(normalisePhone('98765 43210', undefined, '91')).toMatchObject({ ok: true, e164: '+919876543210' });
    expect(normalisePhone('(212) 555-0123', 'IN', '+1')).toMatchObject({ ok: true, e164: '+12125550123' });
    expect(normalisePhone('123', 'IN', '91')).toEqual({ ok: false, reason: "invalid phone '123' for country code +91" });
  });
});

describe('libphonenumber pattern cache', () => {
  it('is in place (this libphonenumber-js version has the helper it replaces)', () => {
    expect(LIBPHONENUMBER_PATTERNS_CACHED).toBe(true);
  });
});

describe('isKnownCountry', () => {
  it('knows ISO codes and nothing else', () => {
    expect(isKnownCountry('IN')).toBe(true);
    expect(isKnownCountry('XX')).toBe(false);
    expect(isKnownCountry('india')).toBe(false);
  });
});
