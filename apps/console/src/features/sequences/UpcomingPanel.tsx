import { Group, Paper, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { BlockLoading, EmptyState, ErrorState } from '../../components/PageState';
import { formatCount } from '../../lib/format';
import { formatDateTime, viewerTimeZone } from '../../lib/time';
import { upcomingRows } from './upcoming';

const RANGES = ['1', '7', '14', '31'];

/** What falls due in the next days, per step and per day or hour of the viewer's clock (filters in the URL). */
export function UpcomingPanel({ sequenceId, steps, paused }: { sequenceId: number; steps: number; paused: boolean }) {
  const [params, setParams] = useSearchParams();
  const days = RANGES.includes(params.get('upcoming') ?? '') ? Number(params.get('upcoming')) : 7;
  const bucket = params.get('bucket') === 'hour' ? 'hour' : 'day';
  const zone = viewerTimeZone();
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const upcoming = useQuery({
    queryKey: ['sequence', sequenceId, 'upcoming', days, bucket, zone],
    queryFn: () =>
      unwrap(api.GET('/v1/sequences/{id}/upcoming', { params: { path: { id: sequenceId }, query: { days, bucket, timezone: zone } } })),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  const positions = Array.from({ length: steps }, (_, i) => i + 1);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="upcoming">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="upcoming">
          Upcoming sends
        </Title>
        <Group gap="xs">
          <SegmentedControl
            aria-label="Upcoming range"
            size="xs"
            data={RANGES.map((r) => ({ value: r, label: r === '1' ? 'next day' : `next ${r} days` }))}
            value={String(days)}
            onChange={(v) => setParam('upcoming', v)}
          />
          <SegmentedControl
            aria-label="Count per"
            size="xs"
            data={[
              { value: 'day', label: 'per day' },
              { value: 'hour', label: 'per hour' },
            ]}
            value={bucket}
            onChange={(v) => setParam('bucket', v)}
          />
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Each contact in progress counts once, at the step it waits for: later steps are timed from when WhatsApp accepts that one.
        {paused ? ' The sequence is paused: these go out once it resumes.' : ''}
      </Text>
      {upcoming.isPending ? (
        <BlockLoading label="Loading upcoming sends…" />
      ) : upcoming.isError ? (
        <ErrorState error={upcoming.error} />
      ) : upcoming.data.total === 0 ? (
        <EmptyState>Nothing falls due in this range.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label="Upcoming sends" data-testid="upcoming" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{bucket === 'day' ? 'Day' : 'Hour'}</Table.Th>
                {positions.map((p) => (
                  <Table.Th key={p} ta="right">
                    Step {p}
                  </Table.Th>
                ))}
                <Table.Th ta="right">All steps</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {upcomingRows(upcoming.data.data, steps).map((row) => (
                <Table.Tr key={row.start}>
                  <Table.Td>{bucket === 'day' ? formatDateTime(row.start, zone).split(',')[0] : formatDateTime(row.start, zone)}</Table.Td>
                  {row.counts.map((n, i) => (
                    <Table.Td key={i} ta="right">
                      {formatCount(n)}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right" fw={600} data-testid="upcoming-row-total">
                    {formatCount(row.total)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
