import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Table,
  Text,
  TextInput,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Contact } from '../../api/types';
import { canChange, useMe } from '../../app/session';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';
import { BulkActions } from './BulkActions';
import {
  contactFilterBody,
  type ContactFilters,
  contactListQuery,
  contactSearchParams,
  type ContactSort,
  contactsExportUrl,
  parseContactFilters,
} from './contact-filters';
import { useLists } from './queries';

const PAGE_SIZE = 50;

/** Every contact: search (a phone in any spelling), filters and sort in the URL, selection and bulk actions. */
export default function ContactsPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseContactFilters(params);
  const query = contactListQuery(filters);
  const filterKey = JSON.stringify(query);
  const pages = useCursorPages(filterKey);
  const changes = canChange(useMe().data?.role);
  const lists = useLists();
  const [selection, setSelection] = useState<{ key: string; ids: number[] }>({ key: filterKey, ids: [] });
  // A new filter is a new set of rows: what was selected under the old one no longer shows.
  const selected = selection.key === filterKey ? selection.ids : [];
  const setSelected = (ids: number[]) => setSelection({ key: filterKey, ids });

  const setFilters = (patch: Partial<ContactFilters>) => setParams(contactSearchParams({ ...filters, ...patch }), { replace: true });
  const [search, setSearch] = useState(filters.search);
  const applySearch = useDebouncedCallback((value: string) => setFilters({ search: value.trim() }), 300);

  const list = useQuery({
    queryKey: ['contacts', 'list', query, pages.cursor],
    queryFn: () => unwrap(api.GET('/v1/contacts', { params: { query: { ...query, limit: PAGE_SIZE, ...pages.cursorParam } } })),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.data ?? [];
  const listName = new Map((lists.data ?? []).map((l) => [l.id, l.name]));

  const sortBy = (field: 'phone' | 'name' | 'createdAt') => {
    const descending = `-${field}` as ContactSort;
    setFilters({
      sort: filters.sort === field ? descending : filters.sort === descending ? field : field === 'createdAt' ? descending : field,
    });
  };

  const columns: Array<ColumnDef<Contact>> = [
    ...(changes
      ? [
          {
            id: 'select',
            header: () => (
              <Checkbox
                aria-label="Select every contact on this page"
                checked={rows.length > 0 && rows.every((r) => selected.includes(r.id))}
                onChange={(e) => setSelected(e.currentTarget.checked ? rows.map((r) => r.id) : [])}
              />
            ),
            cell: ({ row }) => (
              <Checkbox
                aria-label={`Select ${row.original.phone}`}
                checked={selected.includes(row.original.id)}
                onChange={(e) =>
                  setSelected(e.currentTarget.checked ? [...selected, row.original.id] : selected.filter((id) => id !== row.original.id))
                }
              />
            ),
          } satisfies ColumnDef<Contact>,
        ]
      : []),
    {
      id: 'phone',
      header: () => <SortHeader label="Phone" field="phone" sort={filters.sort} onSort={sortBy} />,
      cell: ({ row }) => (
        <Anchor component={Link} to={`/contacts/${row.original.id}`} fw={500} data-testid="contact-phone">
          {row.original.phone}
        </Anchor>
      ),
    },
    {
      id: 'name',
      header: () => <SortHeader label="Name" field="name" sort={filters.sort} onSort={sortBy} />,
      cell: ({ row }) => row.original.name ?? '—',
    },
    {
      id: 'tags',
      header: 'Tags',
      cell: ({ row }) => (
        <Group gap={4}>
          {row.original.tags.map((t) => (
            <Badge key={t} variant="light" color="gray" c="dark.7" size="sm" tt="none">
              {t}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      id: 'lists',
      header: 'Lists',
      cell: ({ row }) => <Text size="sm">{row.original.listIds.map((id) => listName.get(id) ?? `list ${id}`).join(', ') || '—'}</Text>,
    },
    {
      id: 'optedOut',
      header: 'Opt-out',
      cell: ({ row }) =>
        row.original.optedOut ? (
          <Badge color="red" variant="light" c="red.9">
            opted out
          </Badge>
        ) : null,
    },
    {
      id: 'createdAt',
      header: () => <SortHeader label="Added" field="createdAt" sort={filters.sort} onSort={sortBy} />,
      cell: ({ row }) => <DateTime value={row.original.createdAt} />,
    },
  ];
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (c) => String(c.id) });

  return (
    <>
      <PageHeader
        title="Contacts"
        subtitle="Search, filter and change your contacts"
        actions={
          changes && (
            <Button component="a" href={contactsExportUrl(filters)} variant="default" download>
              Export CSV
            </Button>
          )
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Search by name or phone"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              applySearch(e.currentTarget.value);
            }}
            w={240}
          />
          <Select
            label="List"
            placeholder="Any"
            data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: l.name }))}
            value={filters.listId === null ? null : String(filters.listId)}
            onChange={(v) => setFilters({ listId: v ? Number(v) : null })}
            clearable
            searchable
            w={200}
          />
          <ApplyOnEnter label="Tag" value={filters.tag} onApply={(tag) => setFilters({ tag })} w={150} />
          <ApplyOnEnter
            label="Attribute name"
            value={filters.attributeKey}
            onApply={(attributeKey) => setFilters({ attributeKey })}
            w={150}
          />
          <ApplyOnEnter
            label="Attribute value"
            value={filters.attributeValue}
            onApply={(attributeValue) => setFilters({ attributeValue })}
            w={150}
          />
          <Select
            label="Opt-out"
            data={[
              { value: 'any', label: 'Any' },
              { value: 'true', label: 'Opted out' },
              { value: 'false', label: 'Can be messaged' },
            ]}
            value={filters.optedOut === null ? 'any' : String(filters.optedOut)}
            onChange={(v) => setFilters({ optedOut: v === 'true' ? true : v === 'false' ? false : null })}
            allowDeselect={false}
            w={170}
          />
        </Group>
      </Paper>
      {changes && (
        <BulkActions filter={contactFilterBody(filters)} selected={selected} onDone={() => setSelected([])} lists={lists.data ?? []} />
      )}
      <Paper withBorder p="md">
        {list.isPending ? (
          <PageLoading label="Loading contacts…" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : rows.length === 0 ? (
          <EmptyState>No contact matches these filters.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={800}>
              <Table striped highlightOnHover aria-label="Contacts" aria-busy={list.isFetching}>
                <Table.Thead>
                  {table.getHeaderGroups().map((g) => (
                    <Table.Tr key={g.id}>
                      {g.headers.map((h) => (
                        <Table.Th key={h.id} aria-sort={ariaSort(h.id, filters.sort)}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Thead>
                <Table.Tbody>
                  {table.getRowModel().rows.map((row) => (
                    <Table.Tr key={row.id} data-testid="contact-row">
                      {row.getVisibleCells().map((cell) => (
                        <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="Contact pages" />
          </>
        )}
      </Paper>
    </>
  );
}

/** A text filter applied on Enter or when the field is left (not on every key: each would be a query). */
function ApplyOnEnter({ label, value, onApply, w }: { label: string; value: string; onApply: (v: string) => void; w: number }) {
  return (
    <TextInput
      key={value}
      label={label}
      defaultValue={value}
      onBlur={(e) => e.currentTarget.value.trim() !== value && onApply(e.currentTarget.value.trim())}
      onKeyDown={(e) => e.key === 'Enter' && onApply(e.currentTarget.value.trim())}
      w={w}
    />
  );
}

function ariaSort(id: string, sort: ContactSort): 'ascending' | 'descending' | undefined {
  if (sort === id) return 'ascending';
  if (sort === `-${id}`) return 'descending';
  return undefined;
}

function SortHeader({
  label,
  field,
  sort,
  onSort,
}: {
  label: string;
  field: 'phone' | 'name' | 'createdAt';
  sort: ContactSort;
  onSort: (f: 'phone' | 'name' | 'createdAt') => void;
}) {
  const mark = sort === field ? ' ▲' : sort === `-${field}` ? ' ▼' : '';
  return (
    <UnstyledButton onClick={() => onSort(field)} fw={700} fz="sm" aria-label={`Sort by ${label}`}>
      {label}
      {mark}
      <VisuallyHidden>{mark ? (mark === ' ▲' ? ' (ascending)' : ' (descending)') : ''}</VisuallyHidden>
    </UnstyledButton>
  );
}
