import { Checkbox, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { formatDateTime, zoneLabel } from '../../lib/time';
import { instantInZone, type ScheduleChoice } from './compose-form';

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'UTC', ...all])];
}

/** When it goes: now, at a time in a named zone, or at that wall-clock time in each recipient's own zone; quiet hours optional. */
export function ScheduleFields({
  value,
  onChange,
  viewerZone,
}: {
  value: ScheduleChoice;
  onChange: (v: ScheduleChoice) => void;
  viewerZone: string;
}) {
  const set = (patch: Partial<ScheduleChoice>) => onChange({ ...value, ...patch });
  const timed = value.mode !== 'now';
  const instant = timed && value.date && value.time ? instantInZone(value.date, value.time, value.zone) : null;
  return (
    <Stack gap="sm">
      <Radio.Group label="Send" value={value.mode} onChange={(mode) => set({ mode: mode as ScheduleChoice['mode'] })}>
        <Group mt={4}>
          <Radio value="now" label="Now" />
          <Radio value="at" label="At a time" />
          <Radio value="recipient_local" label="At a time in each recipient's own zone" />
        </Group>
      </Radio.Group>
      {timed && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput type="date" label="Date" value={value.date} onChange={(e) => set({ date: e.currentTarget.value })} />
          <TextInput type="time" label="Time" value={value.time} onChange={(e) => set({ time: e.currentTarget.value })} />
          <Select
            label={value.mode === 'recipient_local' ? 'Zone for recipients whose own is unknown' : 'Time zone'}
            searchable
            data={zones(value.zone)}
            value={value.zone}
            onChange={(zone) => zone && set({ zone })}
            allowDeselect={false}
          />
        </SimpleGrid>
      )}
      {instant && value.mode === 'at' && (
        <Text size="sm" data-testid="schedule-instant">
          {formatDateTime(instant, value.zone)} {zoneLabel(value.zone, instant)} = {formatDateTime(instant, viewerZone)} your time (
          {zoneLabel(viewerZone, instant)})
        </Text>
      )}
      {value.mode === 'recipient_local' && (
        <Radio.Group
          label="Where that time has already passed at launch"
          value={value.localTimePassed}
          onChange={(v) => set({ localTimePassed: v as ScheduleChoice['localTimePassed'] })}
        >
          <Group mt={4}>
            <Radio value="now" label="Send at once" />
            <Radio value="next_day" label="Wait for the next day" />
          </Group>
        </Radio.Group>
      )}
      <Checkbox
        label="Quiet hours (in each recipient's own clock)"
        checked={!!value.quietHours}
        onChange={(e) => set({ quietHours: e.currentTarget.checked ? { from: '21:00', to: '08:00' } : null })}
      />
      {value.quietHours && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            type="time"
            label="Quiet from"
            value={value.quietHours.from}
            onChange={(e) => set({ quietHours: { ...value.quietHours!, from: e.currentTarget.value } })}
          />
          <TextInput
            type="time"
            label="Quiet until"
            value={value.quietHours.to}
            onChange={(e) => set({ quietHours: { ...value.quietHours!, to: e.currentTarget.value } })}
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}
