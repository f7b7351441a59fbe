import { Anchor, Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount } from '../../lib/format';
import { canChange, useMe } from '../../app/session';
import { useSenders } from '../broadcasts/queries';
import { parseSequenceFilters, type SequenceFilters, sequenceSearchParams } from './sequence-progress';

const PAGE_SIZE = 25;

/** Every drip sequence with where its contacts are; each links to its steps' figures. */
export default function SequencesPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseSequenceFilters(params);
  const setFilters = (patch: Partial<SequenceFilters>) => setParams(sequenceSearchParams({ ...filters, ...patch }), { replace: true });
  const [search, setSearch] = useState(filters.search);
  const applySearch = useDebouncedCallback((value: string) => setFilters({ search: value.trim() }), 300);
  const pages = useCursorPages(JSON.stringify(filters));
  const senders = useSenders();
  const mayChange = canChange(useMe().data?.role);
  const senderName = useMemo(() => new Map((senders.data ?? []).map((s) => [s.id, s.name])), [senders.data]);

  const list = useQuery({
    queryKey: ['sequences', filters, pages.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/sequences', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filters.search ? { search: filters.search } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...pages.cursorParam,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });

  return (
    <>
      <PageHeader
        title="Sequences"
        subtitle="Drip sequences: their steps, and where their contacts are now"
        actions={
          mayChange && (
            <Button component={Link} to="/sequences/new">
              New sequence
            </Button>
          )
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
          <Select
            label="Status"
            placeholder="Any"
            data={[
              { value: 'active', label: 'active' },
              { value: 'paused', label: 'paused' },
            ]}
            value={filters.status}
            onChange={(v) => setFilters({ status: v === 'active' || v === 'paused' ? v : null })}
            clearable
            w={160}
          />
        </Group>
      </Paper>
      <Paper withBorder p="md">
        {list.isPending ? (
          <PageLoading label="Loading sequences…" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : list.data.data.length === 0 ? (
          <EmptyState>{filters.search || filters.status ? 'No sequence matches these filters.' : 'No sequence yet.'}</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover aria-label="Sequences" aria-busy={list.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Steps</Table.Th>
                    <Table.Th ta="right">In progress</Table.Th>
                    <Table.Th ta="right">Completed</Table.Th>
                    <Table.Th ta="right">Stopped</Table.Th>
                    <Table.Th ta="right">Unenrolled</Table.Th>
                    <Table.Th>Created</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.data.map((s) => (
                    <Table.Tr key={s.id} data-testid="sequence-row">
                      <Table.Td>
                        <Anchor component={Link} to={`/sequences/${s.id}`} fw={500}>
                          {s.name}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {senderName.get(s.senderId) ?? `sender ${s.senderId}`}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={s.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{s.steps.length}</Text>
                        <Text size="xs" c="dimmed">
                          {s.steps.map((step) => step.template.name).join(' → ')}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{formatCount(s.enrollments.active)}</Table.Td>
                      <Table.Td ta="right">{formatCount(s.enrollments.completed)}</Table.Td>
                      <Table.Td ta="right">{formatCount(s.enrollments.stopped)}</Table.Td>
                      <Table.Td ta="right">{formatCount(s.enrollments.unenrolled)}</Table.Td>
                      <Table.Td>
                        <DateTime value={s.createdAt} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="Sequence pages" />
          </>
        )}
      </Paper>
    </>
  );
}
