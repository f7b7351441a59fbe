import { Button, Group, Menu, Stack, Text, TextInput } from '@mantine/core';
import type { MediaFormat } from './bubble';
import { insertField } from './compose-form';

/** Each template variable as a text with {{field}} or {{field|fallback}}; fields suggested from the audience. */
export function VariableFields({
  keys,
  media,
  values,
  headerMediaUrl,
  fields,
  onChange,
  onMediaUrl,
}: {
  keys: string[];
  media: MediaFormat | null;
  values: Record<string, string>;
  headerMediaUrl: string;
  fields: string[];
  onChange: (values: Record<string, string>) => void;
  onMediaUrl: (url: string) => void;
}) {
  if (keys.length === 0 && !media) return <Text c="dimmed">This template has no variables.</Text>;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Write a text with fields: {'{{name}}'}, {'{{city|your city}}'} (after the bar: the fallback for contacts without the field).
      </Text>
      {media && (
        <TextInput
          label={`Header ${media.toLowerCase()} URL`}
          description="May hold fields too, e.g. https://cdn.example.com/{{plan}}.jpg"
          value={headerMediaUrl}
          onChange={(e) => onMediaUrl(e.currentTarget.value)}
        />
      )}
      {keys.map((key) => (
        <Group key={key} align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={`Variable {{${key}}}`}
            value={values[key] ?? ''}
            onChange={(e) => onChange({ ...values, [key]: e.currentTarget.value })}
            style={{ flex: 1 }}
          />
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default" aria-label={`Insert a field into {{${key}}}`}>
                Insert field
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {fields.map((field) => (
                <Menu.Item key={field} onClick={() => onChange({ ...values, [key]: insertField(values[key] ?? '', field) })}>
                  {field}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      ))}
    </Stack>
  );
}
