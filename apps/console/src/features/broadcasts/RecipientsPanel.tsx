import { Badge, Button, Group, Paper, Select, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Recipient } from '../../api/types';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';
import { errorAdvice } from '../../lib/error-advice';
import { formatMoney } from '../../lib/format';
import { broadcastViewParams, parseBroadcastView, RECIPIENT_FILTERS, type RecipientFilter, recipientsExportUrl } from './broadcast-view';
import { skipLabel } from './FailuresPanel';

const PAGE_SIZE = 50;

const STATUS_COLORS: Record<string, string> = {
  queued: 'gray',
  sent: 'blue',
  delivered: 'teal',
  read: 'violet',
  failed: 'red',
  skipped: 'yellow',
  cancelled: 'gray',
};

const FILTER_LABELS: Record<RecipientFilter, string> = {
  queued: 'Queued',
  sent: 'Sent (not yet delivered)',
  delivered: 'Delivered (not yet read)',
  read: 'Read',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  replied: 'Replied',
};

/** The latest thing that happened to a recipient. */
function lastEventAt(r: Recipient): string | null {
  return r.failedAt ?? r.readAt ?? r.deliveredAt ?? r.sentAt ?? r.acceptedAt ?? null;
}

function recipientColumns(currency: string): Array<ColumnDef<Recipient>> {
  return [
    { id: 'phone', header: 'Phone', cell: ({ row }) => <Text size="sm">{row.original.phone}</Text> },
    { id: 'country', header: 'Country', cell: ({ row }) => row.original.country ?? '—' },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <Group gap={4} wrap="nowrap">
          <Badge
            variant="light"
            color={STATUS_COLORS[row.original.status] ?? 'gray'}
            c="dark.7"
            miw="max-content"
            data-testid="recipient-status"
          >
            {row.original.status}
          </Badge>
          {row.original.repliedAt && (
            <Badge variant="outline" color="orange" c="dark.7" miw="max-content">
              replied
            </Badge>
          )}
        </Group>
      ),
    },
    { id: 'at', header: 'Last update', cell: ({ row }) => <DateTime value={lastEventAt(row.original)} seconds /> },
    { id: 'code', header: 'Error code', cell: ({ row }) => row.original.errorCode ?? '—' },
    {
      id: 'reason',
      header: 'Reason',
      cell: ({ row }) => {
        const r = row.original;
        if (r.status === 'skipped') return <Text size="sm">{skipLabel(r.skipReason)}</Text>;
        if (r.errorCode === null && !r.errorTitle) return '—';
        return (
          <div>
            <Text size="sm">{errorAdvice(r.errorCode, r.errorTitle).title}</Text>
            {r.errorDetail && (
              <Text size="xs" c="dimmed">
                {r.errorDetail}
              </Text>
            )}
          </div>
        );
      },
    },
    {
      id: 'cost',
      header: () => (
        <Text ta="right" fw={700} size="sm">
          Cost
        </Text>
      ),
      cell: ({ row }) => (
        <Text ta="right" size="sm">
          {row.original.cost === null ? '—' : formatMoney(row.original.cost, currency)}
        </Text>
      ),
    },
  ];
}

/** The recipients, filterable by status (in the URL), cursor-paged over any number of them, with exports of exactly what is shown. */
export function RecipientsPanel({ broadcastId, live, currency = 'USD' }: { broadcastId: number; live: boolean; currency?: string }) {
  const [params, setParams] = useSearchParams();
  const { status } = parseBroadcastView(params);
  const pages = useCursorPages(`${broadcastId}:${status ?? ''}`);
  const setStatus = (s: RecipientFilter | null) =>
    setParams((p) => broadcastViewParams({ ...parseBroadcastView(p), status: s }, p), { replace: true });

  const list = useQuery({
    queryKey: ['broadcast', broadcastId, 'recipients', status, pages.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/broadcasts/{id}/recipients', {
          params: {
            path: { id: broadcastId },
            query: { limit: PAGE_SIZE, ...(status ? { status } : {}), ...pages.cursorParam },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: live && pages.page === 1 ? 5_000 : false,
  });
  const columns = useMemo(() => recipientColumns(currency), [currency]);
  const table = useReactTable({ data: list.data?.data ?? [], columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => String(r.id) });

  return (
    <Paper withBorder p="md" mt="md">
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          Recipients
        </Title>
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select
            label="Recipient status"
            placeholder="All recipients"
            data={RECIPIENT_FILTERS.map((s) => ({ value: s, label: FILTER_LABELS[s] }))}
            value={status}
            onChange={(v) => setStatus(v as RecipientFilter | null)}
            clearable
            w={230}
          />
          <Button component="a" href={recipientsExportUrl(broadcastId, 'csv', status)} variant="default" download>
            Export CSV
          </Button>
          <Button component="a" href={recipientsExportUrl(broadcastId, 'xlsx', status)} variant="default" download>
            Export XLSX
          </Button>
        </Group>
      </Group>
      {list.isPending ? (
        <PageLoading label="Loading recipients…" />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.data.length === 0 ? (
        <EmptyState>{status ? `No recipient is ${FILTER_LABELS[status].toLowerCase()}.` : 'No recipients yet.'}</EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table striped aria-label="Recipients" aria-busy={list.isFetching}>
              <Table.Thead>
                {table.getHeaderGroups().map((g) => (
                  <Table.Tr key={g.id}>
                    {g.headers.map((h) => (
                      <Table.Th key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</Table.Th>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Thead>
              <Table.Tbody>
                {table.getRowModel().rows.map((row) => (
                  <Table.Tr key={row.id} data-testid="recipient-row">
                    {row.getVisibleCells().map((cell) => (
                      <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="Recipient pages" />
        </>
      )}
    </Paper>
  );
}
