import { Group, Progress, Text } from '@mantine/core';
import { formatCount } from '../lib/format';
import { progressShare } from '../lib/funnel';

/** How far a broadcast's sending got: recipients WhatsApp accepted, of those to send. */
export function ProgressLine({ accepted, total, label }: { accepted: number; total: number; label: string }) {
  const share = progressShare(accepted, total);
  return (
    <div>
      <Progress value={share * 100} aria-label={label} size="lg" radius="sm" />
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed">
          {formatCount(accepted)} of {formatCount(total)} sent
        </Text>
        <Text size="xs" c="dimmed">
          {(share * 100).toFixed(1)}%
        </Text>
      </Group>
    </div>
  );
}
