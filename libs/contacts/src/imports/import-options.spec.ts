import { parseImportOptions } from './import-options';

describe('parseImportOptions', () => {
  it('defaults to upsert and normalises fields', () => {
    expect(parseImportOptions({})).toEqual({ mode: 'upsert' });
    expect(parseImportOptions({ defaultCountry: 'in', list: ' Diwali ', tags: 'vip, pune,vip', mode: 'create' })).toEqual({
      mode: 'create',
      defaultCountry: 'IN',
      list: 'Diwali',
      tags: ['vip', 'pune'],
    });
    expect(parseImportOptions({ tags: '["a","b"]', mapping: '{"phone":"Mobile"}' })).toEqual({
      mode: 'upsert',
      tags: ['a', 'b'],
      mapping: { phone: 'Mobile' },
    });
    expect(parseImportOptions({ sheet: ' Leads ' })).toEqual({ mode: 'upsert', sheet: 'Leads' });
  });

  it.each([
    [{ mode: 'merge' }, /mode must be one of create, update, upsert/],
    [{ defaultCountry: 'XX' }, /defaultCountry 'XX'/],
    [{ mapping: '{oops' }, /mapping must be JSON/],
    [{ tags: '[1,2]' }, /tags must be/],
    [{ colour: 'red' }, /unknown field colour/],
    [{ sheet: 'x'.repeat(32) }, /sheet must be a worksheet's name, at most 31 characters/],
  ])('refuses %j', (fields, message) => {
    expect(() => parseImportOptions(fields as Record<string, string>)).toThrow(message);
  });
});
