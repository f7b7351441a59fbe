import { Paper, Text } from '@mantine/core';
import { formatCount, formatRate } from '../lib/format';

/** One figure with its rate, e.g. "Delivered 9,731 — 97.3% of sent". */
export function StatTile({
  label,
  value,
  rate,
  rateLabel,
  testId,
}: {
  label: string;
  value: number;
  rate?: number | null;
  rateLabel?: string;
  testId?: string;
}) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} data-testid={testId ? `${testId}-value` : undefined}>
        {formatCount(value)}
      </Text>
      {rateLabel !== undefined && (
        <Text size="sm" c="dimmed" data-testid={testId ? `${testId}-rate` : undefined}>
          {formatRate(rate)} {rateLabel}
        </Text>
      )}
    </Paper>
  );
}
