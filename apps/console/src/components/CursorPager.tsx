import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

/** Cursor paging: the API gives the next page's cursor; the way back is the cursors already seen. */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: Array<string | undefined> }>({ key: resetKey, stack: [undefined] });
  const stack = state.key === resetKey ? state.stack : [undefined];
  const next = useCallback((cursor: string) => setState({ key: resetKey, stack: [...stack, cursor] }), [resetKey, stack]);
  const previous = useCallback(() => setState({ key: resetKey, stack: stack.slice(0, -1) }), [resetKey, stack]);
  const cursor = stack[stack.length - 1];
  /** The list call's `cursor` parameter: absent on the first page. */
  const cursorParam: { cursor?: string } = cursor ? { cursor } : {};
  return { cursor, cursorParam, page: stack.length, next, previous };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

export function CursorPager({
  pages: { page, next: onNext, previous: onPrevious },
  nextCursor,
  label,
}: {
  pages: Pick<CursorPages, 'page' | 'next' | 'previous'>;
  nextCursor: string | null | undefined;
  label: string;
}) {
  return (
    <Group justify="space-between" mt="sm" aria-label={label} role="navigation">
      <Text size="sm" c="dimmed">
        Page {page}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" disabled={page <= 1} onClick={onPrevious}>
          Previous page
        </Button>
        <Button variant="default" size="xs" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}
