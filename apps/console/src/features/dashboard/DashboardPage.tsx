import { Anchor, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Dashboard, SenderQuota } from '../../api/types';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { NewBroadcastButton } from '../compose/NewBroadcastButton';
import { BlockLoading, EmptyState, ErrorState, QueryState } from '../../components/PageState';
import { ProgressLine } from '../../components/ProgressLine';
import { StatTile } from '../../components/StatTile';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatRate } from '../../lib/format';
import { viewerTimeZone } from '../../lib/time';
import { useSenders } from '../broadcasts/queries';
import { type DashboardRange, parseRange, rangeInstants, rangeSearchParams, type RangeKind } from './range';

const DailyChart = lazy(() => import('./DailyChart'));

const RANGES: Array<{ value: RangeKind; label: string }> = [
  { value: 'today', label: 'Today' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: 'custom', label: 'Custom' },
];

function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

type Totals = Dashboard['totals'];

/** The range's totals, each with the rate that means something for it. */
const TILES: Array<{
  key: 'sent' | 'delivered' | 'read' | 'replied' | 'failed';
  label: string;
  rateLabel: string;
  rate: (t: Totals) => number | null;
}> = [
  { key: 'sent', label: 'Sent', rateLabel: 'of recipients', rate: (t) => ratio(t.sent, t.total) },
  { key: 'delivered', label: 'Delivered', rateLabel: 'of sent', rate: (t) => t.deliveryRate },
  { key: 'read', label: 'Read', rateLabel: 'of delivered', rate: (t) => t.readRate },
  { key: 'replied', label: 'Replied', rateLabel: 'of delivered', rate: (t) => ratio(t.replied, t.delivered) },
  { key: 'failed', label: 'Failed', rateLabel: 'of recipients', rate: (t) => ratio(t.failed, t.total) },
];

export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const range = parseRange(params);
  const zone = viewerTimeZone();
  const instants = useMemo(() => rangeInstants(range, zone), [range.kind, range.from, range.to, zone]);
  const setRange = (r: DashboardRange) => setParams(rangeSearchParams(r), { replace: true });

  const dashboard = useQuery({
    queryKey: ['dashboard', instants],
    queryFn: () => unwrap(api.GET('/v1/dashboard', { params: { query: instants } })),
  });
  const failures = useQuery({
    queryKey: ['dashboard', 'failures', instants],
    queryFn: () => unwrap(api.GET('/v1/dashboard/failures', { params: { query: instants } })),
  });

  return (
    <>
      <PageHeader title="Dashboard" subtitle="Broadcasts started in the range" actions={<NewBroadcastButton />} />
      <Group mb="md" align="flex-end">
        <SegmentedControl
          aria-label="Date range"
          data={RANGES}
          value={range.kind}
          onChange={(value) => {
            const kind = value as RangeKind;
            if (kind !== 'custom') setRange({ kind, from: null, to: null });
            else setRange({ kind, from: range.from, to: range.to });
          }}
        />
        {range.kind === 'custom' && (
          <DatePickerInput
            type="range"
            label="Custom range"
            placeholder="Pick the first and last day"
            value={[range.from, range.to]}
            onChange={([from, to]) => {
              if (from && to) setRange({ kind: 'custom', from: String(from).slice(0, 10), to: String(to).slice(0, 10) });
            }}
            w={280}
          />
        )}
      </Group>

      <QueryState query={dashboard} loading={<BlockLoading height={110} label="Loading totals" />}>
        {(d) => (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
              {TILES.map((t) => (
                <StatTile
                  key={t.key}
                  label={t.label}
                  value={d.totals[t.key]}
                  rate={t.rate(d.totals)}
                  rateLabel={t.rateLabel}
                  testId={`tile-${t.key}`}
                />
              ))}
            </SimpleGrid>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                By day (UTC days)
              </Title>
              {d.days.length === 0 ? (
                <EmptyState>No broadcast started in this range.</EmptyState>
              ) : (
                <Suspense fallback={<BlockLoading height={260} label="Loading the chart" />}>
                  <DailyChart days={d.days} />
                </Suspense>
              )}
            </Paper>
          </Stack>
        )}
      </QueryState>

      <SimpleGrid cols={{ base: 1, lg: 2 }} mt="md">
        <ActiveBroadcasts />
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            Top failure reasons
          </Title>
          <QueryState
            query={failures}
            isEmpty={(f) => f.length === 0}
            empty="No failures in this range."
            loading={<BlockLoading label="Loading failures" />}
          >
            {(rows) => (
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Code</Table.Th>
                    <Table.Th>Meta&apos;s title</Table.Th>
                    <Table.Th ta="right">Recipients</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((f) => (
                    <Table.Tr key={String(f.code)}>
                      <Table.Td>{f.code ?? '—'}</Table.Td>
                      <Table.Td>{f.title ?? 'Unknown error'}</Table.Td>
                      <Table.Td ta="right">{formatCount(f.count)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </QueryState>
        </Paper>
      </SimpleGrid>
      <Senders />
    </>
  );
}

/** Running, waiting and scheduled broadcasts, polled every 2 s. */
function ActiveBroadcasts() {
  const active = useQuery({
    queryKey: ['broadcasts', 'active'],
    queryFn: () =>
      unwrap(
        api.GET('/v1/broadcasts', {
          params: { query: { status: ['running', 'waiting_quota', 'scheduled', 'paused'], limit: 20, sort: 'createdAt', order: 'desc' } },
        }),
      ),
    refetchInterval: 2_000,
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Running and scheduled
      </Title>
      <QueryState
        query={active}
        isEmpty={(p) => p.data.length === 0}
        empty="Nothing is sending or scheduled."
        loading={<BlockLoading label="Loading broadcasts" />}
      >
        {(page) => (
          <Stack gap="sm">
            {page.data.map((b) => (
              <div key={b.id}>
                <Group justify="space-between" mb={4} wrap="nowrap">
                  <Anchor component={Link} to={`/broadcasts/${b.id}`} fw={500} truncate>
                    {b.name}
                  </Anchor>
                  <Group gap="xs" wrap="nowrap">
                    {b.status === 'scheduled' && (
                      <Text size="xs" c="dimmed">
                        <DateTime value={b.scheduledAt} />
                      </Text>
                    )}
                    <StatusBadge status={b.status} />
                  </Group>
                </Group>
                <ProgressLine
                  accepted={b.stats.accepted}
                  queued={b.stats.queued}
                  total={b.stats.total - b.stats.skipped - b.stats.cancelled}
                  label={`Progress of ${b.name}`}
                />
              </div>
            ))}
          </Stack>
        )}
      </QueryState>
    </Paper>
  );
}

function Senders() {
  const senders = useSenders();
  return (
    <Paper withBorder p="md" mt="md">
      <Title order={2} size="h4" mb="sm">
        Senders: messaging quota and throughput
      </Title>
      {senders.isError ? (
        <ErrorState error={senders.error} />
      ) : (
        <QueryState
          query={senders}
          isEmpty={(s) => s.length === 0}
          empty="No sender yet."
          loading={<BlockLoading label="Loading senders" />}
        >
          {(rows) => (
            <Table.ScrollContainer minWidth={640}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Sender</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Used (rolling 24 h)</Table.Th>
                    <Table.Th ta="right">Remaining</Table.Th>
                    <Table.Th>Next slots free</Table.Th>
                    <Table.Th ta="right">Throughput cap</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((s) => (
                    <SenderRow key={s.id} s={s} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
      )}
    </Paper>
  );
}

function SenderRow({ s }: { s: SenderQuota }) {
  const limit = s.quota.limit;
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {s.name}
        </Text>
        <Text size="xs" c="dimmed">
          {s.phoneNumberId}
          {s.portfolio ? ` · portfolio ${s.portfolio}` : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={s.status} />
      </Table.Td>
      <Table.Td ta="right">
        {formatCount(s.quota.used)}
        {limit !== null && ` of ${formatCount(limit)}`}
        {limit !== null && limit > 0 && (
          <Text size="xs" c="dimmed">
            {formatRate(s.quota.used / limit)}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">{limit === null ? 'unlimited' : formatCount(s.quota.remaining)}</Table.Td>
      <Table.Td>{s.quota.nextFreeAt ? <DateTime value={s.quota.nextFreeAt} /> : '—'}</Table.Td>
      <Table.Td ta="right">{formatCount(s.throughputMps)} msg/s</Table.Td>
    </Table.Tr>
  );
}
