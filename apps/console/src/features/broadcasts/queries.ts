import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { BroadcastDetails } from '../../api/types';

export const ACTIVE_STATUSES = ['running', 'waiting_quota', 'scheduled'];

/** Polled every 2 s while it is sending (or may start or finish a batch), so progress and status move without a reload. */
export function useBroadcast(id: number) {
  return useQuery({
    queryKey: ['broadcast', id],
    queryFn: () => unwrap(api.GET('/v1/broadcasts/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (isLive(q.state.data) || ['paused', 'scheduled'].includes(q.state.data?.status ?? '') ? 2_000 : false),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function isLive(b: Pick<BroadcastDetails, 'status'> | undefined): boolean {
  return !!b && ['running', 'waiting_quota'].includes(b.status);
}

export function useBroadcastStats(id: number, live: boolean) {
  return useQuery({
    queryKey: ['broadcast', id, 'stats'],
    queryFn: () => unwrap(api.GET('/v1/broadcasts/{id}/stats', { params: { path: { id } } })),
    refetchInterval: live ? 5_000 : false,
    enabled: Number.isInteger(id) && id > 0,
    placeholderData: keepPreviousData,
  });
}

/** Senders with their quotas: names for filters and labels (analysts may read them here). */
export function useSenders() {
  return useQuery({
    queryKey: ['dashboard', 'senders'],
    queryFn: () => unwrap(api.GET('/v1/dashboard/senders')),
    staleTime: 30_000,
  });
}
