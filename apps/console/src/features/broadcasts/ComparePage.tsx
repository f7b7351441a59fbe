import { Anchor, Group, MultiSelect, Paper, Table, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { BlockLoading, EmptyState, ErrorState } from '../../components/PageState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatMoney, formatRate } from '../../lib/format';
import { compareRows, compareSearchParams, funnelShares, MAX_COMPARED, paceSeries, parseCompareIds } from './compare';

const CompareCharts = lazy(() => import('./CompareCharts'));

const COLORS = ['blue.7', 'orange.7', 'teal.7', 'grape.7', 'red.7', 'gray.7'];

/** Two or more broadcasts side by side: rates, funnel and pace. The selection is in the URL. */
export default function ComparePage() {
  const [params, setParams] = useSearchParams();
  const ids = parseCompareIds(params);
  const setIds = (next: number[]) => setParams(compareSearchParams(next), { replace: true });
  const [search, setSearch] = useState('');

  const options = useQuery({
    queryKey: ['broadcasts', 'compare-options', search],
    queryFn: () =>
      unwrap(
        api.GET('/v1/broadcasts', {
          params: { query: { limit: 50, sort: 'createdAt', order: 'desc', ...(search.trim() ? { search: search.trim() } : {}) } },
        }),
      ),
  });
  const details = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['broadcast', id],
      queryFn: () => unwrap(api.GET('/v1/broadcasts/{id}', { params: { path: { id } } })),
    })),
  });
  const stats = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['broadcast', id, 'stats'],
      queryFn: () => unwrap(api.GET('/v1/broadcasts/{id}/stats', { params: { path: { id } } })),
    })),
  });

  // The picker offers the recent (or searched) broadcasts, and always the ones already picked.
  const data = useMemo(() => {
    const names = new Map<number, string>();
    details.forEach((d, i) => d.data && names.set(ids[i], d.data.name));
    (options.data?.data ?? []).forEach((b) => names.set(b.id, b.name));
    ids.forEach((id) => names.has(id) || names.set(id, `Broadcast ${id}`));
    return [...names].map(([id, name]) => ({ value: String(id), label: `${name} (#${id})` }));
  }, [options.data, details.map((d) => d.data?.name).join('\u0000'), ids.join(',')]);

  const failed = details.find((d) => d.isError) ?? stats.find((s) => s.isError);
  const ready = ids.length >= 2 && details.every((d) => d.data) && stats.every((s) => s.data);
  const compared = ready
    ? ids.map((id, i) => ({
        id,
        key: `b${id}`,
        b: details[i].data!,
        s: stats[i].data!,
        color: COLORS[i % COLORS.length],
      }))
    : [];

  return (
    <>
      <PageHeader title="Compare broadcasts" subtitle="Rates, funnel and pace side by side" />
      <Paper withBorder p="md" mb="md">
        <MultiSelect
          label="Broadcasts to compare"
          description={`Pick two to ${MAX_COMPARED}.`}
          placeholder={ids.length ? undefined : 'Search by name'}
          data={data}
          value={ids.map(String)}
          onChange={(v) => setIds(v.map(Number))}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: all }) => all}
          maxValues={MAX_COMPARED}
          clearable
          nothingFoundMessage={options.isPending ? 'Loading…' : 'No broadcast by that name'}
        />
      </Paper>
      {failed ? (
        <ErrorState error={failed.error} />
      ) : ids.length < 2 ? (
        <EmptyState>Pick at least two broadcasts to compare them (or select them in the broadcast history).</EmptyState>
      ) : !ready ? (
        <BlockLoading height={320} label="Loading the broadcasts" />
      ) : (
        <>
          <Paper withBorder p="md">
            <Table.ScrollContainer minWidth={240 + compared.length * 170}>
              <Table aria-label="Broadcasts side by side" striped data-testid="compare-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Figure</Table.Th>
                    {compared.map((c) => (
                      <Table.Th key={c.id} ta="right">
                        <Anchor component={Link} to={`/broadcasts/${c.id}`} fw={600}>
                          {c.b.name}
                        </Anchor>
                        <Group gap={6} justify="flex-end" mt={2} wrap="nowrap">
                          <StatusBadge status={c.b.status} />
                        </Group>
                        <Text size="xs" c="dimmed" fw={400}>
                          <DateTime value={c.b.startedAt ?? c.b.createdAt} />
                        </Text>
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {compareRows(compared.map((c) => ({ stats: c.b.stats, rates: c.b.rates, cost: c.s.stats.cost }))).map((row) => (
                    <Table.Tr key={row.key} data-testid={`compare-${row.key}`}>
                      <Table.Td>{row.label}</Table.Td>
                      {row.values.map((v, i) => (
                        <Table.Td key={compared[i].id} ta="right" fw={row.best === i ? 700 : undefined}>
                          {row.kind === 'rate'
                            ? formatRate(v)
                            : row.kind === 'money'
                              ? formatMoney(v, compared[i].s.currency)
                              : formatCount(v)}
                          {row.best === i && (
                            <Text span size="xs" c="teal.9" ml={4}>
                              best
                            </Text>
                          )}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Suspense fallback={<BlockLoading height={300} label="Loading the charts" />}>
            <CompareCharts
              series={compared.map((c) => ({ key: c.key, label: c.b.name, color: c.color }))}
              funnel={funnelShares(compared.map((c) => ({ key: c.key, stats: c.b.stats })))}
              pace={paceSeries(compared.map((c) => ({ key: c.key, series: c.s.timeSeries })))}
            />
          </Suspense>
        </>
      )}
    </>
  );
}
