import { Badge } from '@mantine/core';
import { statusLabel } from '../lib/format';

const COLORS: Record<string, string> = {
  draft: 'gray',
  scheduled: 'blue',
  running: 'teal',
  paused: 'yellow',
  waiting_quota: 'orange',
  completed: 'green',
  cancelled: 'gray',
  failed: 'red',
  active: 'teal',
  broken: 'red',
};

export function StatusBadge({ status }: { status: string }) {
  // Dark text on a light badge keeps the contrast readable for every colour.
  return (
    <Badge variant="light" color={COLORS[status] ?? 'gray'} c="dark.7" data-testid="status">
      {statusLabel(status)}
    </Badge>
  );
}
