import { resolveMapping } from './column-mapping';
import { validateRow } from './row';

describe('validateRow', () => {
  const mapping = resolveMapping(['Phone', 'Name', 'City', 'Plan']);

  it('builds a contact with E.164, trimmed name and non-empty attributes', () => {
    const result = validateRow(['098765 43210', ' Asha Rao ', 'Pune', ''], 7, mapping, 'IN');
    expect(result).toEqual({
      ok: true,
      draft: { row: 7, phone: '+919876543210', country: 'IN', name: 'Asha Rao', attributes: '{"City":"Pune"}', fields: expect.any(Array) },
    });
  });

  it('refuses a row with the wrong number of fields, naming both counts', () => {
    expect(validateRow(['1', '2', '3', '4', '5'], 2, mapping, 'IN')).toEqual({ ok: false, reason: 'row has 5 fields, the header has 4' });
    expect(validateRow(['+919876543210'], 2, mapping, 'IN')).toEqual({ ok: false, reason: 'row has 1 field, the header has 4' });
  });

  it('refuses a missing or invalid phone', () => {
    expect(validateRow(['', 'Asha', 'Pune', 'Pro'], 3, mapping, 'IN')).toEqual({ ok: false, reason: 'no phone in this row' });
    expect(validateRow(['N/A', 'Asha', 'Pune', 'Pro'], 3, mapping, 'IN')).toEqual({
      ok: false,
      reason: "invalid phone 'N/A' for country IN",
    });
  });

  it('stores an empty name as null and no attributes as null', () => {
    expect(validateRow(['+919876543210', '', '', ''], 1, mapping, undefined)).toMatchObject({
      ok: true,
      draft: { name: null, attributes: null },
    });
  });
});

describe('validateRow attribute caps', () => {
  it('refuses a value over 4 KiB, a name over 64 characters and more than 200 attributes, naming the cap', () => {
    const mapping = resolveMapping(['Phone', 'City', 'n'.repeat(65)]);
    expect(validateRow(['9876543210', 'x'.repeat(4097), ''], 1, mapping, 'IN')).toEqual({
      ok: false,
      reason: expect.stringContaining('larger than 4096 bytes'),
    });
    expect(validateRow(['9876543210', 'Pune', 'x'], 2, mapping, 'IN')).toEqual({
      ok: false,
      reason: expect.stringContaining('longer than 64 characters'),
    });
    expect(validateRow(['9876543210', 'Pune', ''], 3, mapping, 'IN')).toMatchObject({ ok: true });
    const wide = resolveMapping(['Phone', ...Array.from({ length: 201 }, (_, i) => `c${i}`)]);
    expect(validateRow(['9876543210', ...Array.from({ length: 201 }, () => 'v')], 4, wide, 'IN')).toEqual({
      ok: false,
      reason: expect.stringContaining('at most 200 attributes'),
    });
  });
});
