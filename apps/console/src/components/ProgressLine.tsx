import { Group, Progress, Text } from '@mantine/core';
import { formatCount } from '../lib/format';
import { progressShare } from '../lib/funnel';

/**
 * How far a broadcast's sending got: recipients done (sent, or refused) of those to send, and how many
 * of them WhatsApp accepted. A finished broadcast with failures reads as done, not as stuck short of 100%.
 */
export function ProgressLine({ accepted, queued, total, label }: { accepted: number; queued: number; total: number; label: string }) {
  if (total <= 0)
    return (
      <Text size="xs" c="dimmed">
        Nothing sent yet
      </Text>
    );
  const done = Math.max(0, total - queued);
  const share = progressShare(done, total);
  return (
    <div>
      <Progress value={share * 100} aria-label={label} size="lg" radius="sm" />
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed">
          {formatCount(done)} of {formatCount(total)} done · {formatCount(accepted)} sent
        </Text>
        <Text size="xs" c="dimmed">
          {(share * 100).toFixed(1)}%
        </Text>
      </Group>
    </div>
  );
}
