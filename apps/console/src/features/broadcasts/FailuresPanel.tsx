import { Paper, Table, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { DetailedStats } from '../../api/types';
import { BlockLoading, QueryState } from '../../components/PageState';
import { errorAdvice } from '../../lib/error-advice';
import { formatCount, formatRate } from '../../lib/format';

/** Failures by error code, each with Meta's title and what to do about it. */
export function FailuresPanel({ stats }: { stats: UseQueryResult<DetailedStats> }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Failures by error code
      </Title>
      <QueryState
        query={stats}
        isEmpty={(s) => s.failuresByCode.length === 0}
        empty="No failures."
        loading={<BlockLoading label="Loading failures" />}
      >
        {(s) => {
          const failed = s.failuresByCode.reduce((sum, f) => sum + f.count, 0);
          return (
            <Table aria-label="Failures by error code" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Code</Table.Th>
                  <Table.Th>Meta&apos;s title and what to do</Table.Th>
                  <Table.Th ta="right">Recipients</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.failuresByCode.map((f) => {
                  const advice = errorAdvice(f.code, f.title);
                  return (
                    <Table.Tr key={String(f.code)} data-testid="failure-row">
                      <Table.Td valign="top">{f.code ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {advice.title}
                        </Text>
                        <Text size="sm" c="dimmed">
                          {advice.advice}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" valign="top">
                        <Text size="sm" data-testid="failure-count">
                          {formatCount(f.count)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatRate(failed > 0 ? f.count / failed : null)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          );
        }}
      </QueryState>
    </Paper>
  );
}

/** Skip reasons (libs/broadcasts SKIP_REASONS) as people read them. */
export const SKIP_REASONS: Record<string, string> = {
  opted_out: 'Opted out',
  invalid_number: 'Not a valid mobile number',
  duplicate: 'Same phone as another recipient',
  missing_variable: 'A template variable has no value',
  invalid_parameter: 'A variable has a new line, tab or many spaces',
  invalid_media_url: 'Header media URL not usable',
  frequency_capped: "Workspace's marketing frequency cap reached",
  frequency_cap: 'WhatsApp marketing frequency cap (131049)',
  unenrolled: 'Unenrolled from the sequence',
};

export function skipLabel(reason: string | null): string {
  return reason ? (SKIP_REASONS[reason] ?? reason.replace(/_/g, ' ')) : 'Unknown';
}

/** Recipients not sent, by reason. */
export function SkippedPanel({ stats }: { stats: UseQueryResult<DetailedStats> }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Skipped, by reason
      </Title>
      <QueryState
        query={stats}
        isEmpty={(s) => s.skippedByReason.length === 0}
        empty="Nobody was skipped."
        loading={<BlockLoading label="Loading skips" />}
      >
        {(s) => (
          <Table aria-label="Skipped by reason">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reason</Table.Th>
                <Table.Th ta="right">Recipients</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.skippedByReason.map((r) => (
                <Table.Tr key={String(r.reason)}>
                  <Table.Td>{skipLabel(r.reason)}</Table.Td>
                  <Table.Td ta="right">{formatCount(r.count)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Paper>
  );
}
