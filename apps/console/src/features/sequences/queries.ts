import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Every sender with its WABA (GET /v1/senders): the builder needs wabaId, the dashboard's list lacks it. */
export function useSenderList() {
  return useQuery({
    queryKey: ['senders', 'all'],
    queryFn: async () => (await unwrap(api.GET('/v1/senders', { params: { query: { limit: 1000 } } }))).data,
    staleTime: 30_000,
  });
}

/** The APPROVED templates of one WABA (those with none, when the sender has none). */
export function useApprovedTemplates(wabaId: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['templates', 'approved', wabaId ?? null],
    queryFn: async () => {
      const page = await unwrap(
        api.GET('/v1/templates', { params: { query: { status: 'APPROVED', limit: 1000, ...(wabaId ? { wabaId } : {}) } } }),
      );
      return page.data.filter((t) => (t.wabaId ?? null) === (wabaId ?? null));
    },
    enabled,
    staleTime: 30_000,
  });
}

export function sequenceKey(id: number) {
  return ['sequence', id] as const;
}
