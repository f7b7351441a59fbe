import {
  Anchor,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  Table,
  Text,
  TextInput,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { BroadcastSummary } from '../../api/types';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatMoney, formatRate, statusLabel } from '../../lib/format';
import { viewerTimeZone } from '../../lib/time';
import { toQueryString } from '../../lib/url';
import {
  BROADCAST_STATUSES,
  historyApiQuery,
  type HistoryFilters,
  historySearchParams,
  type HistorySort,
  parseHistoryFilters,
} from './history-filters';
import { NewBroadcastButton } from '../compose/NewBroadcastButton';
import { useSenders } from './queries';

const PAGE_SIZE = 25;

export default function HistoryPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseHistoryFilters(params);
  const zone = viewerTimeZone();
  const query = historyApiQuery(filters, zone);
  const filterKey = JSON.stringify(query);
  const pages = useCursorPages(filterKey);
  const [selected, setSelected] = useState<number[]>([]);
  const senders = useSenders();
  const senderName = useMemo(() => new Map((senders.data ?? []).map((s) => [s.id, s.name])), [senders.data]);

  const setFilters = (patch: Partial<HistoryFilters>) => setParams(historySearchParams({ ...filters, ...patch }), { replace: true });
  const [search, setSearch] = useState(filters.search);
  const applySearch = useDebouncedCallback((value: string) => setFilters({ search: value.trim() }), 300);

  const list = useQuery({
    queryKey: ['broadcasts', 'history', query, pages.cursor],
    queryFn: () => unwrap(api.GET('/v1/broadcasts', { params: { query: { ...query, limit: PAGE_SIZE, ...pages.cursorParam } } })),
    placeholderData: keepPreviousData,
  });

  const sortBy = (sort: HistorySort) =>
    setFilters(
      filters.sort === sort ? { order: filters.order === 'desc' ? 'asc' : 'desc' } : { sort, order: sort === 'name' ? 'asc' : 'desc' },
    );

  // Rebuilt every render: the headers' sort buttons act on the current filters.
  const columns: Array<ColumnDef<BroadcastSummary>> = [
    {
      id: 'select',
      header: () => <VisuallyHidden>Select to compare</VisuallyHidden>,
      cell: ({ row }) => (
        <Checkbox
          aria-label={`Select ${row.original.name} to compare`}
          checked={selected.includes(row.original.id)}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            setSelected((s) => (checked ? [...s, row.original.id] : s.filter((id) => id !== row.original.id)));
          }}
        />
      ),
    },
    {
      id: 'name',
      header: () => <SortHeader label="Name" sort="name" filters={filters} onSort={sortBy} />,
      cell: ({ row }) => (
        <div>
          <Anchor component={Link} to={`/broadcasts/${row.original.id}`} fw={500}>
            {row.original.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {row.original.template.name} · {row.original.template.language} ·{' '}
            {senderName.get(row.original.senderId) ?? `sender ${row.original.senderId}`}
          </Text>
        </div>
      ),
    },
    { id: 'status', header: 'Status', cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: 'createdAt',
      header: () => <SortHeader label="Created" sort="createdAt" filters={filters} onSort={sortBy} />,
      cell: ({ row }) => <DateTime value={row.original.startedAt ?? row.original.createdAt} />,
    },
    num('total', 'Recipients', (b) => formatCount(b.stats.total)),
    num('sent', 'Sent', (b) => formatCount(b.stats.sent)),
    num('deliveryRate', 'Delivered', (b) => formatRate(b.rates.deliveryRate)),
    num('readRate', 'Read', (b) => formatRate(b.rates.readRate)),
    num('replied', 'Replied', (b) => formatCount(b.stats.replied)),
    num('failed', 'Failed', (b) => formatCount(b.stats.failed)),
    num('cost', 'Cost', (b) => formatMoney(b.stats.cost)),
  ];

  function num(sort: HistorySort, label: string, value: (b: BroadcastSummary) => string): ColumnDef<BroadcastSummary> {
    return {
      id: sort,
      header: () => <SortHeader label={label} sort={sort} filters={filters} onSort={sortBy} align="right" />,
      cell: ({ row }) => (
        <Text ta="right" size="sm">
          {value(row.original)}
        </Text>
      ),
    };
  }

  const table = useReactTable({ data: list.data?.data ?? [], columns, getCoreRowModel: getCoreRowModel(), getRowId: (b) => String(b.id) });

  return (
    <>
      <PageHeader
        title="Broadcasts"
        subtitle="History of every broadcast, with its figures"
        actions={
          <>
            <Button
              component={Link}
              to={`/compare?ids=${selected.join(',')}`}
              variant="default"
              disabled={selected.length < 2}
              aria-disabled={selected.length < 2}
            >
              Compare selected ({selected.length})
            </Button>
            <Button component="a" href={`/v1/broadcasts/export.csv${toQueryString({ ...query })}`} variant="default" download>
              Export CSV
            </Button>
            <NewBroadcastButton />
          </>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Search by name"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              applySearch(e.currentTarget.value);
            }}
            w={220}
          />
          <MultiSelect
            label="Status"
            placeholder={filters.status.length ? undefined : 'Any'}
            data={BROADCAST_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
            value={filters.status}
            onChange={(v) => setFilters({ status: v as HistoryFilters['status'] })}
            clearable
            w={240}
          />
          <Select
            label="Sender"
            placeholder="Any"
            data={(senders.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
            value={filters.senderId === null ? null : String(filters.senderId)}
            onChange={(v) => setFilters({ senderId: v ? Number(v) : null })}
            clearable
            w={200}
          />
          <TextInput
            label="Template"
            placeholder="Template name"
            defaultValue={filters.template}
            onBlur={(e) => setFilters({ template: e.currentTarget.value.trim() })}
            onKeyDown={(e) => e.key === 'Enter' && setFilters({ template: e.currentTarget.value.trim() })}
            w={180}
          />
          <DatePickerInput
            type="range"
            label="Created between"
            placeholder="Any day"
            value={[filters.from, filters.to]}
            onChange={([from, to]) => {
              if ((from && to) || (!from && !to))
                setFilters({ from: from ? String(from).slice(0, 10) : null, to: to ? String(to).slice(0, 10) : null });
            }}
            clearable
            w={260}
          />
        </Group>
      </Paper>
      <Paper withBorder p="md">
        {list.isPending ? (
          <PageLoading label="Loading broadcasts…" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : list.data.data.length === 0 ? (
          <EmptyState>No broadcast matches these filters.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={1000}>
              <Table striped highlightOnHover aria-label="Broadcasts" aria-busy={list.isFetching}>
                <Table.Thead>
                  {table.getHeaderGroups().map((g) => (
                    <Table.Tr key={g.id}>
                      {g.headers.map((h) => (
                        <Table.Th key={h.id} aria-sort={ariaSort(h.id, filters)}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Thead>
                <Table.Tbody>
                  {table.getRowModel().rows.map((row) => (
                    <Table.Tr key={row.id} data-testid="broadcast-row">
                      {row.getVisibleCells().map((cell) => (
                        <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="Broadcast pages" />
          </>
        )}
      </Paper>
    </>
  );
}

function ariaSort(id: string, filters: HistoryFilters): 'ascending' | 'descending' | undefined {
  if (id !== filters.sort) return undefined;
  return filters.order === 'asc' ? 'ascending' : 'descending';
}

function SortHeader({
  label,
  sort,
  filters,
  onSort,
  align = 'left',
}: {
  label: string;
  sort: HistorySort;
  filters: HistoryFilters;
  onSort: (s: HistorySort) => void;
  align?: 'left' | 'right';
}) {
  const active = filters.sort === sort;
  return (
    <UnstyledButton
      onClick={() => onSort(sort)}
      fw={700}
      fz="sm"
      style={{ width: '100%', textAlign: align }}
      aria-label={`Sort by ${label}`}
    >
      {label}
      {active ? (filters.order === 'asc' ? ' ▲' : ' ▼') : ''}
    </UnstyledButton>
  );
}
