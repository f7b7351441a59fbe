import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Contact lists by name, for filters and "add to list" (the first 1,000: enough to pick from). */
export function useLists() {
  return useQuery({
    queryKey: ['contacts', 'lists'],
    queryFn: async () => (await unwrap(api.GET('/v1/lists', { params: { query: { limit: 1000 } } }))).data,
    staleTime: 30_000,
  });
}
