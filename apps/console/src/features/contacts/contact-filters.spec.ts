import { contactFilterBody, contactSearchParams, contactsExportUrl, DEFAULT_CONTACT_FILTERS, parseContactFilters } from './contact-filters';

describe('contacts view ↔ URL and API', () => {
  it('reads every filter from the URL and writes it back, defaults left out', () => {
    const params = new URLSearchParams('q=0151 234&list=7&tag=vip&attr=city=Bad Homburg&optedOut=false&sort=name');
    const f = parseContactFilters(params);
    expect(f).toEqual({
      search: '0151 234',
      listId: 7,
      tag: 'vip',
      attributeKey: 'city',
      attributeValue: 'Bad Homburg',
      optedOut: false,
      sort: 'name',
    });
    expect(parseContactFilters(contactSearchParams(f))).toEqual(f);
    expect(contactSearchParams(DEFAULT_CONTACT_FILTERS).toString()).toBe('');
  });

  it('falls back to the defaults for anything malformed', () => {
    expect(parseContactFilters(new URLSearchParams('list=abc&attr==x&optedOut=maybe&sort=evil'))).toEqual(DEFAULT_CONTACT_FILTERS);
  });

  it('gives bulk actions and the export the same filter', () => {
    const f = { ...DEFAULT_CONTACT_FILTERS, tag: 'vip', attributeKey: 'plan', attributeValue: 'gold', optedOut: true };
    expect(contactFilterBody(f)).toEqual({ tags: ['vip'], attribute: { plan: 'gold' }, optedOut: true });
    expect(decodeURIComponent(contactsExportUrl(f))).toBe('/v1/contacts/export.csv?tag=vip&optedOut=true&attribute[plan]=gold');
  });
});
