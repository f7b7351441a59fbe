import { DEFAULT_HISTORY_FILTERS, historyApiQuery, historySearchParams, parseHistoryFilters } from './history-filters';

describe('history filters ↔ URL', () => {
  it('reads every filter from the URL and writes it back the same', () => {
    const url = 'q=spring&status=completed,failed&sender=3&template=spring_sale&from=2026-12-01&to=2026-12-07&sort=deliveryRate&order=asc';
    const filters = parseHistoryFilters(new URLSearchParams(url));
    expect(filters).toEqual({
      search: 'spring',
      status: ['completed', 'failed'],
      senderId: 3,
      template: 'spring_sale',
      from: '2026-12-01',
      to: '2026-12-07',
      sort: 'deliveryRate',
      order: 'asc',
    });
    expect(historySearchParams(filters).toString()).toBe(new URLSearchParams(url).toString());
  });

  it('leaves defaults out of the URL', () => {
    expect(historySearchParams(DEFAULT_HISTORY_FILTERS).toString()).toBe('');
    expect(parseHistoryFilters(new URLSearchParams(''))).toEqual(DEFAULT_HISTORY_FILTERS);
  });

  it('drops what it does not know instead of sending it to the API', () => {
    const filters = parseHistoryFilters(
      new URLSearchParams('status=completed,bogus,completed&sender=-1&from=yesterday&sort=evil&order=sideways'),
    );
    expect(filters.status).toEqual(['completed']);
    expect(filters.senderId).toBeNull();
    expect(filters.from).toBeNull();
    expect(filters.sort).toBe('createdAt');
    expect(filters.order).toBe('desc');
  });

  it("asks the API for whole days in the viewer's zone, the last day included", () => {
    const filters = { ...DEFAULT_HISTORY_FILTERS, from: '2026-12-01', to: '2026-12-07', status: ['running' as const] };
    expect(historyApiQuery(filters, 'Europe/Berlin')).toEqual({
      status: ['running'],
      from: '2026-11-30T23:00:00.000Z',
      to: '2026-12-07T23:00:00.000Z',
      sort: 'createdAt',
      order: 'desc',
    });
  });
});
