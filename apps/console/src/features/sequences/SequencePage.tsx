import { Anchor, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Sequence, SequenceStep } from '../../api/types';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryState } from '../../components/PageState';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, formatRate } from '../../lib/format';
import { funnel } from '../../lib/funnel';
import { canChange, useMe } from '../../app/session';
import { useSenders } from '../broadcasts/queries';
import { EnrolPanel } from './EnrolPanel';
import { SequenceActions } from './SequenceActions';
import { UpcomingPanel } from './UpcomingPanel';
import { sequenceKey } from './queries';
import { describeDelay, runBuckets, totalRuns } from './sequence-progress';

/** One sequence: where its contacts are now, and each step's funnel (its step broadcast's figures). */
export default function SequencePage() {
  const id = Number(useParams().id);
  const sequence = useQuery({
    queryKey: sequenceKey(id),
    queryFn: () => unwrap(api.GET('/v1/sequences/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
    // Runs move on by themselves while the sequence is active.
    refetchInterval: (q) => (q.state.data?.status === 'active' ? 5_000 : false),
  });
  if (!Number.isInteger(id) || id <= 0) {
    return (
      <>
        <PageHeader title="Sequence not found" showZone={false} />
        <EmptyState>There is no sequence at this address.</EmptyState>
      </>
    );
  }
  return (
    <QueryState query={sequence} loading={<PageHeader title="Sequence" />}>
      {(s) => <SequenceView sequence={s} />}
    </QueryState>
  );
}

function SequenceView({ sequence: s }: { sequence: Sequence }) {
  const senders = useSenders();
  const mayChange = canChange(useMe().data?.role);
  const sender = useMemo(() => senders.data?.find((x) => x.id === s.senderId)?.name ?? `sender ${s.senderId}`, [senders.data, s.senderId]);
  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={
          <>
            {sender} · {s.steps.length} {s.steps.length === 1 ? 'step' : 'steps'} · created <DateTime value={s.createdAt} />
            {s.createdBy ? ` by ${s.createdBy}` : ''}
          </>
        }
        actions={
          <>
            <StatusBadge status={s.status} />
            {mayChange && <SequenceActions sequence={s} />}
          </>
        }
      />
      <Stack gap="md">
        <WhereContactsAre sequence={s} />
        {mayChange && <EnrolPanel sequenceId={s.id} />}
        <UpcomingPanel sequenceId={s.id} steps={s.steps.length} paused={s.status === 'paused'} />
        <Title order={2} size="h4">
          Steps
        </Title>
        {s.steps.map((step) => (
          <StepCard key={step.position} step={step} first={step.position === 1} />
        ))}
        <Rules sequence={s} />
      </Stack>
    </>
  );
}

function WhereContactsAre({ sequence }: { sequence: Sequence }) {
  const buckets = runBuckets(sequence);
  const total = totalRuns(sequence);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="where-now">
      <Title order={2} size="h4" id="where-now" mb="xs">
        Where contacts are now
      </Title>
      {total === 0 ? (
        <EmptyState>Nobody is enrolled yet.</EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {formatCount(total)} runs in all, {formatCount(sequence.enrollments.active)} still in progress
          </Text>
          <Table aria-label="Where contacts are now" data-testid="where-now">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Where</Table.Th>
                <Table.Th ta="right">Contacts</Table.Th>
                <Table.Th ta="right">Share</Table.Th>
                <Table.Th w="40%">
                  <VisuallyHidden>Share as a bar</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {buckets.map((b) => (
                <Table.Tr key={b.key} data-testid={`where-${b.key}`}>
                  <Table.Td>{b.label}</Table.Td>
                  <Table.Td ta="right" data-testid={`where-${b.key}-count`}>
                    {formatCount(b.count)}
                  </Table.Td>
                  <Table.Td ta="right">{formatRate(b.share)}</Table.Td>
                  <Table.Td>
                    <Progress value={(b.share ?? 0) * 100} aria-label={`${b.label}: ${formatRate(b.share)}`} size="md" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Paper>
  );
}

function StepCard({ step, first }: { step: SequenceStep; first: boolean }) {
  const stats = step.stats;
  return (
    <Paper withBorder p="md" component="section" aria-label={`Step ${step.position}`} data-testid={`step-${step.position}`}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <div>
          <Title order={3} size="h5">
            Step {step.position}: {step.template.name}{' '}
            <Text span c="dimmed" size="sm" fw={400}>
              ({step.template.language})
            </Text>
          </Title>
          <Text size="sm" c="dimmed">
            {describeDelay(step.delay) === 'at once'
              ? first
                ? 'Sent at enrolment'
                : 'Sent as soon as WhatsApp accepted the previous step'
              : `${describeDelay(step.delay)} after ${first ? 'enrolment' : 'WhatsApp accepted the previous step'}`}
            {' · '}
            {formatCount(step.waiting)} waiting for it now
          </Text>
        </div>
        <Group gap="xs">
          {step.broadcastStatus && <StatusBadge status={step.broadcastStatus} />}
          {step.broadcastId !== null && (
            <Anchor component={Link} to={`/broadcasts/${step.broadcastId}`} size="sm">
              Step {step.position}'s broadcast
            </Anchor>
          )}
        </Group>
      </Group>
      {step.broadcastStatusReason && (
        <Text size="sm" c="orange.9" mb="xs">
          {step.broadcastStatusReason}
        </Text>
      )}
      {!stats ? (
        <EmptyState>No figures for this step yet.</EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 5 }}>
          {funnel(stats).map((f) => (
            <div key={f.key} data-testid={`step-${step.position}-${f.key}`}>
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                {f.label}
              </Text>
              <Text fz={22} fw={700} lh={1.2} data-testid={`step-${step.position}-${f.key}-value`}>
                {formatCount(f.count)}
              </Text>
              {f.rateLabel && (
                <Text size="xs" c="dimmed">
                  {formatRate(f.rate)} {f.rateLabel}
                </Text>
              )}
            </div>
          ))}
          <div data-testid={`step-${step.position}-failed`}>
            <Text size="xs" tt="uppercase" fw={700} c="dimmed">
              Failed
            </Text>
            <Text fz={22} fw={700} lh={1.2} data-testid={`step-${step.position}-failed-value`}>
              {formatCount(stats.failed)}
            </Text>
            <Text size="xs" c="dimmed">
              {formatCount(stats.skipped)} skipped
            </Text>
          </div>
        </SimpleGrid>
      )}
    </Paper>
  );
}

function Rules({ sequence: s }: { sequence: Sequence }) {
  const rules: Array<[string, string]> = [
    ['Sends only', s.window ? `${s.window.days.join(', ')} ${s.window.from}–${s.window.to}` : 'at any time'],
    ...(s.window ? [['Window read in', s.timezone ?? "each contact's time zone"] as [string, string]] : []),
    ['A reply', s.stopOnReply ? 'stops the run' : 'does not stop the run'],
    ['Stops when', s.stopWhen ? `${s.stopWhen.attribute} = ${s.stopWhen.equals}` : 'no attribute rule'],
    ['Enrolled again', s.reenrollment === 'restart' ? 'restarts from step 1' : 'is ignored'],
  ];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="rules">
      <Title order={2} size="h4" id="rules" mb="xs">
        Rules
      </Title>
      <Table variant="vertical" withRowBorders={false} aria-labelledby="rules">
        <Table.Tbody>
          {rules.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={180}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
