import { Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/PageState';
import { ProgressLine } from '../../components/ProgressLine';
import { StatTile } from '../../components/StatTile';
import { StatusBadge } from '../../components/StatusBadge';
import { DateTime } from '../../components/DateTime';
import { formatDuration } from '../../lib/time';
import { funnel } from '../../lib/funnel';
import { useBroadcast } from './queries';

/** One broadcast: status, live progress and its funnel (the charts, failures and recipients come in the next increment). */
export default function BroadcastPage() {
  const id = Number(useParams().id);
  const broadcast = useBroadcast(id);
  return (
    <>
      {!broadcast.data && <PageHeader title={`Broadcast ${id}`} showZone={false} />}
      <QueryState query={broadcast}>
        {(b) => (
          <>
            <PageHeader
              title={b.name}
              subtitle={`${b.template.name} · ${b.template.language}`}
              actions={<StatusBadge status={b.status} />}
            />
            <Paper withBorder p="md" mb="md">
              <ProgressLine accepted={b.progress.accepted} queued={b.stats.queued} total={b.progress.total} label="Sending progress" />
              <Group gap="lg" mt="xs">
                {/* A rate and an ETA mean something only while it sends ("0.0 msg/s, ETA 0 s" on a finished one). */}
                {b.status === 'running' && (
                  <>
                    <Text size="sm">Rate: {b.progress.ratePerSecond.toFixed(1)} msg/s</Text>
                    <Text size="sm">ETA: {formatDuration(b.progress.etaSeconds)}</Text>
                  </>
                )}
                <Text size="sm">
                  Started: <DateTime value={b.startedAt} />
                </Text>
                <Text size="sm">
                  Finished: <DateTime value={b.finishedAt} />
                </Text>
              </Group>
            </Paper>
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              {funnel(b.stats).map((step) => (
                <StatTile
                  key={step.key}
                  label={step.label}
                  value={step.count}
                  rate={step.rate}
                  rateLabel={step.rateLabel ?? undefined}
                  testId={`funnel-${step.key}`}
                />
              ))}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 2, sm: 4 }} mt="md">
              <StatTile label="Recipients" value={b.stats.total} testId="stat-total" />
              <StatTile label="Queued" value={b.stats.queued} testId="stat-queued" />
              <StatTile label="Failed" value={b.stats.failed} rate={b.rates.failureRate} rateLabel="of attempted" testId="stat-failed" />
              <StatTile label="Skipped" value={b.stats.skipped} testId="stat-skipped" />
              {b.stats.cancelled > 0 && <StatTile label="Cancelled" value={b.stats.cancelled} testId="stat-cancelled" />}
            </SimpleGrid>
          </>
        )}
      </QueryState>
    </>
  );
}
