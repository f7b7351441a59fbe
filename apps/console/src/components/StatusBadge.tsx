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
  // Dark text on a light badge keeps the contrast readable for every colour. A badge never shrinks
  // below its label: in a squeezed table column Mantine would cut "completed" to "COMP…".
  return (
    <Badge variant="light" color={COLORS[status] ?? 'gray'} c="dark.7" miw="max-content" data-testid="status">
      {statusLabel(status)}
    </Badge>
  );
}
