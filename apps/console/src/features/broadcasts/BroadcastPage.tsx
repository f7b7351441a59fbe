import { Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/PageState';
import { ProgressLine } from '../../components/ProgressLine';
import { StatTile } from '../../components/StatTile';
import { StatusBadge } from '../../components/StatusBadge';
import { formatMoney } from '../../lib/format';
import { funnel } from '../../lib/funnel';
import { formatDuration } from '../../lib/time';
import { ComposeActions } from '../compose/ComposeActions';
import { BroadcastControls } from './BroadcastControls';
import { FailuresPanel, SkippedPanel } from './FailuresPanel';
import { isLive, useBroadcast, useBroadcastStats } from './queries';
import { RecipientsPanel } from './RecipientsPanel';
import { TimelinePanel } from './TimelinePanel';

/** One broadcast: status, live progress, funnel, cost, its figures over time, failures and recipients. */
export default function BroadcastPage() {
  const id = Number(useParams().id);
  const broadcast = useBroadcast(id);
  const stats = useBroadcastStats(id, isLive(broadcast.data));
  return (
    <>
      {!broadcast.data && <PageHeader title={`Broadcast ${id}`} showZone={false} />}
      <QueryState query={broadcast}>
        {(b) => (
          <>
            <PageHeader
              title={b.name}
              subtitle={`${b.template.name} · ${b.template.language}`}
              actions={
                <>
                  <StatusBadge status={b.status} />
                  <BroadcastControls broadcast={b} />
                  <ComposeActions broadcast={b} />
                </>
              }
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
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} mt="md">
              <StatTile label="Recipients" value={b.stats.total} testId="stat-total" />
              <StatTile label="Queued" value={b.stats.queued} testId="stat-queued" />
              <StatTile label="Failed" value={b.stats.failed} rate={b.rates.failureRate} rateLabel="of attempted" testId="stat-failed" />
              <StatTile label="Skipped" value={b.stats.skipped} testId="stat-skipped" />
              {b.stats.cancelled > 0 && <StatTile label="Cancelled" value={b.stats.cancelled} testId="stat-cancelled" />}
              <MoneyTile
                label="Estimated cost"
                value={b.estimatedCost ? formatMoney(b.estimatedCost.amount, b.estimatedCost.currency) : '—'}
                note="at the price list, for every recipient"
                testId="cost-estimated"
              />
              <MoneyTile
                label="Cost so far"
                value={stats.data ? formatMoney(stats.data.stats.cost, stats.data.currency) : stats.isError ? '—' : '…'}
                note="by delivered conversations"
                testId="cost-delivered"
              />
            </SimpleGrid>
            <TimelinePanel stats={stats} />
            <SimpleGrid cols={{ base: 1, lg: 2 }} mt="md">
              <FailuresPanel stats={stats} />
              <SkippedPanel stats={stats} />
            </SimpleGrid>
            <RecipientsPanel broadcastId={b.id} live={isLive(b)} currency={stats.data?.currency} />
          </>
        )}
      </QueryState>
    </>
  );
}

function MoneyTile({ label, value, note, testId }: { label: string; value: string; note: string; testId: string }) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} data-testid={`${testId}-value`}>
        {value}
      </Text>
      <Text size="sm" c="dimmed">
        {note}
      </Text>
    </Paper>
  );
}
