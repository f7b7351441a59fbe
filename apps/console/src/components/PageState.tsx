import { Alert, Center, Loader, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" aria-hidden />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function BlockLoading({ height = 120, label = 'Loading…' }: { height?: number; label?: string }) {
  return <Skeleton height={height} radius="sm" aria-label={label} role="status" />;
}

/** An API error, with the API's own message. */
export function ErrorState({ error, title = 'Could not load this' }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={title} role="alert">
      {message}
    </Alert>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" ta="center" py="lg">
      {children}
    </Text>
  );
}

/** Loading, error or empty, else the content: no view is ever a blank page. */
export function QueryState<T>({
  query,
  empty,
  isEmpty,
  loading,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined };
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  loading?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <>{loading ?? <PageLoading />}</>;
  if (query.isError) return <ErrorState error={query.error} />;
  const data = query.data as T;
  if (isEmpty?.(data)) return <EmptyState>{empty ?? 'Nothing here yet.'}</EmptyState>;
  return <>{children(data)}</>;
}
