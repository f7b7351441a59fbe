import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { api, ApiError, onUnauthorized, unwrap } from '../api/client';
import type { Me, Role } from '../api/types';
import { PageLoading } from '../components/PageState';

export const ME_KEY = ['auth', 'me'] as const;

/** Who is signed in: null when nobody is (the API answered 401). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await unwrap(api.GET('/v1/auth/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Roles that may change things (the server refuses the others anyway). */
export function canChange(role: Role | undefined): boolean {
  return role === 'admin' || role === 'marketer';
}

/** Any 401 from the API (session expired, signed out in another tab) leads back to sign-in. */
export function useUnauthorizedRedirect(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        if (client.getQueryData(ME_KEY)) client.setQueryData(ME_KEY, null);
      }),
    [client],
  );
}

/** Routes inside it need a signed-in person; `roles` narrows them (e.g. admin pages). */
export function RequireSession({ roles }: { roles?: Role[] }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) throw me.error;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (roles && !roles.includes(me.data.role)) return <Navigate to="/" replace />;
  return <Outlet />;
}
