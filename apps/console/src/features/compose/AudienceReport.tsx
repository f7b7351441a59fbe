import { Alert, Group, Paper, Table, Text } from '@mantine/core';
import type { SenderQuota } from '../../api/types';
import { ErrorState } from '../../components/PageState';
import { StatTile } from '../../components/StatTile';
import { formatCount, formatMoney } from '../../lib/format';
import { formatDateTime, formatDuration } from '../../lib/time';
import { skipLabel } from './report';
import type { DryRunReport } from './queries';

/** The server's count of the audience (total, skipped by reason, eligible), its cost by country and the quota check. */
export function AudienceReport({
  report,
  error,
  counting,
  quota,
  start,
  viewerZone,
}: {
  report: DryRunReport | undefined;
  error: unknown;
  counting: boolean;
  quota: SenderQuota | undefined;
  start: Date;
  viewerZone: string;
}) {
  if (error) return <ErrorState error={error} title="Cannot count this audience yet" />;
  if (!report)
    return <Text c="dimmed">{counting ? 'Counting on the server…' : 'Choose a sender, a template and an audience to count it.'}</Text>;
  const remaining = quota?.quota.remaining ?? null;
  const fits = remaining === null || report.wouldSend <= remaining;
  // Rounded up: a few messages still take a moment, not "0 s".
  const seconds = quota && quota.throughputMps > 0 ? Math.max(1, Math.ceil(report.wouldSend / quota.throughputMps)) : null;
  return (
    <div aria-busy={counting} data-testid="audience-report">
      <Group grow mb="sm">
        <StatTile label="Audience" value={report.total} testId="count-total" />
        <StatTile label="Skipped" value={report.skipped} testId="count-skipped" />
        <StatTile label="Eligible" value={report.wouldSend} testId="count-eligible" />
      </Group>
      {Object.keys(report.skippedByReason).length > 0 && (
        <Text size="sm" mb="sm" data-testid="count-skipped-reasons">
          Skipped:{' '}
          {Object.entries(report.skippedByReason)
            .map(([reason, n]) => `${formatCount(n)} ${skipLabel(reason)}`)
            .join(', ')}
        </Text>
      )}
      <Paper withBorder p="sm" mb="sm">
        <Text fw={600} size="sm" mb={4}>
          Cost estimate: <span data-testid="cost-total">{formatMoney(sumCost(report), report.currency)}</span>
          <Text span c="dimmed" size="sm">
            {' '}
            ({report.category?.toLowerCase() ?? 'unknown'} messages, at the price table)
          </Text>
        </Text>
        {report.byCountry.length > 0 && (
          <Table withTableBorder data-testid="cost-by-country">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Country</Table.Th>
                <Table.Th>Recipients</Table.Th>
                <Table.Th>Price each</Table.Th>
                <Table.Th>Cost</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.byCountry.map((c) => (
                <Table.Tr key={c.country ?? 'unknown'}>
                  <Table.Td>{c.country ?? 'unknown'}</Table.Td>
                  <Table.Td>{formatCount(c.recipients)}</Table.Td>
                  <Table.Td>{formatUnitPrice(c.unitPrice, report.currency)}</Table.Td>
                  <Table.Td>{formatMoney(c.cost, report.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {quota && (
        <Alert
          color={fits ? 'teal' : 'orange'}
          title={fits ? 'Fits the messaging limit' : 'More than the messaging limit allows now'}
          data-testid="quota-check"
        >
          {remaining === null
            ? 'The sender has no messaging limit.'
            : `${formatCount(report.wouldSend)} eligible of ${formatCount(remaining)} unique recipients left in the sender's rolling ${formatDuration(quota.quota.windowSeconds)}.`}
          {!fits && ' The rest waits (waiting for quota) until the window frees.'}
          {seconds !== null &&
            ` At ${formatCount(quota.throughputMps)} msg/s it takes about ${formatDuration(seconds)}: it would finish around ${formatDateTime(
              new Date(start.getTime() + seconds * 1000),
              viewerZone,
            )}.`}
        </Alert>
      )}
    </div>
  );
}

/** The by-country costs add up to the estimate of who would be sent (the create's estimate counts every non-opted-out contact). */
export function sumCost(report: Pick<DryRunReport, 'byCountry'>): number {
  return Math.round(report.byCountry.reduce((sum, c) => sum + c.cost, 0) * 10_000) / 10_000;
}

/** A price of one message: its four decimals matter ($0.0014), unlike a total's. */
function formatUnitPrice(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 4 }).format(amount);
}
