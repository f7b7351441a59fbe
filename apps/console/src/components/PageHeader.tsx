import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { viewerTimeZone, zoneLabel } from '../lib/time';

/** The page's one main heading, and the time zone its times are shown in. */
export function PageHeader({
  title,
  subtitle,
  actions,
  showZone = true,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  showZone?: boolean;
}) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap">
      <Stack gap={2}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {subtitle && <Text c="dimmed">{subtitle}</Text>}
        {showZone && <TimeZoneNote />}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

export function TimeZoneNote() {
  return (
    <Text size="xs" c="dimmed" data-testid="time-zone">
      Times in {zoneLabel(viewerTimeZone())}
    </Text>
  );
}
