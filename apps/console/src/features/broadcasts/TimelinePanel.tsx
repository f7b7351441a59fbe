import { Group, Paper, SegmentedControl, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { DetailedStats } from '../../api/types';
import { BlockLoading, QueryState } from '../../components/PageState';
import { type Bucket, chooseBucket, timeline } from '../../lib/timeline';
import { viewerTimeZone } from '../../lib/time';
import { broadcastViewParams, parseBroadcastView } from './broadcast-view';

const TimelineChart = lazy(() => import('./TimelineChart'));

/** Sent, delivered, read and failed over time: per minute for a short campaign, per hour for a long one (or as chosen). */
export function TimelinePanel({ stats }: { stats: UseQueryResult<DetailedStats> }) {
  const [params, setParams] = useSearchParams();
  const view = parseBroadcastView(params);
  const zone = viewerTimeZone();
  const series = stats.data?.timeSeries;
  const bucket: Bucket = view.bucket ?? chooseBucket(series ?? []);
  const points = useMemo(() => timeline(series ?? [], bucket, zone), [series, bucket, zone]);
  const setBucket = (b: Bucket) => setParams((p) => broadcastViewParams({ ...parseBroadcastView(p), bucket: b }, p), { replace: true });

  return (
    <Paper withBorder p="md" mt="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Over time ({bucket === 'minute' ? 'per minute' : 'per hour'})
        </Title>
        <SegmentedControl
          aria-label="Chart buckets"
          size="xs"
          data={[
            { value: 'minute', label: 'Per minute' },
            { value: 'hour', label: 'Per hour' },
          ]}
          value={bucket}
          onChange={(v) => setBucket(v as Bucket)}
        />
      </Group>
      <QueryState
        query={stats}
        isEmpty={() => points.length === 0}
        empty="Nothing sent yet."
        loading={<BlockLoading height={260} label="Loading the chart" />}
      >
        {() => (
          <Suspense fallback={<BlockLoading height={260} label="Loading the chart" />}>
            <div data-testid="timeline" data-points={points.length} data-bucket={bucket}>
              <TimelineChart points={points} />
            </div>
          </Suspense>
        )}
      </QueryState>
    </Paper>
  );
}
