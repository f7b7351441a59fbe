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
