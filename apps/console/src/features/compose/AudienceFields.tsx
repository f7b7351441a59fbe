import { MultiSelect, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { AudienceChoice } from './compose-form';
import { useImports, useLists } from './queries';

// The recipient statuses an earlier broadcast's audience may be taken by (the API's RETARGET_STATUSES).
const STATUSES = ['queued', 'sent', 'delivered', 'read', 'replied', 'failed', 'skipped', 'cancelled'];

const KINDS: Array<{ value: AudienceChoice['kind']; label: string }> = [
  { value: 'list', label: 'List' },
  { value: 'import', label: 'Import' },
  { value: 'tags', label: 'Tags' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'broadcast', label: 'Earlier broadcast' },
];

function blank(kind: AudienceChoice['kind']): AudienceChoice {
  switch (kind) {
    case 'list':
      return { kind, listId: '' };
    case 'import':
      return { kind, importId: '' };
    case 'tags':
      return { kind, tags: '' };
    case 'contacts':
      return { kind, entries: '' };
    case 'broadcast':
      return { kind, broadcastId: '', statuses: ['delivered'] };
  }
}

/** Who it goes to: a list, an import, tags, chosen contacts, or an earlier broadcast's recipients by status. */
export function AudienceFields({
  value,
  onChange,
  unknownPhones,
}: {
  value: AudienceChoice;
  onChange: (v: AudienceChoice) => void;
  unknownPhones: string[];
}) {
  const lists = useLists();
  const imports = useImports();
  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" fw={500} id="audience-kind-label" mb={4}>
          Audience
        </Text>
        <SegmentedControl
          aria-labelledby="audience-kind-label"
          data={KINDS}
          value={value.kind}
          onChange={(kind) => onChange(blank(kind as AudienceChoice['kind']))}
        />
      </div>
      {value.kind === 'list' && (
        <Select
          label="Contact list"
          searchable
          placeholder="Choose a list"
          data={(lists.data?.data ?? []).map((l) => ({ value: String(l.id), label: l.name }))}
          value={value.listId || null}
          onChange={(id) => onChange({ kind: 'list', listId: id ?? '' })}
        />
      )}
      {value.kind === 'import' && (
        <Select
          label="Import"
          searchable
          placeholder="Choose an import"
          data={(imports.data?.data ?? []).map((i) => ({
            value: String(i.id),
            label: `#${i.id} ${i.fileName ?? ''} (${i.created} created)`,
          }))}
          value={value.importId || null}
          onChange={(id) => onChange({ kind: 'import', importId: id ?? '' })}
        />
      )}
      {value.kind === 'tags' && (
        <TextInput
          label="Tags"
          description="Comma-separated: contacts having any of them"
          value={value.tags}
          onChange={(e) => onChange({ kind: 'tags', tags: e.currentTarget.value })}
        />
      )}
      {value.kind === 'contacts' && (
        <Textarea
          label="Contacts"
          description="Contact ids or phone numbers, one a line"
          autosize
          minRows={3}
          value={value.entries}
          onChange={(e) => onChange({ kind: 'contacts', entries: e.currentTarget.value })}
          error={unknownPhones.length ? `No contact has ${unknownPhones.join(', ')}` : undefined}
        />
      )}
      {value.kind === 'broadcast' && (
        <>
          <TextInput
            label="Earlier broadcast id"
            inputMode="numeric"
            value={value.broadcastId}
            onChange={(e) => onChange({ ...value, broadcastId: e.currentTarget.value.replace(/\D/g, '') })}
          />
          <MultiSelect
            label="Its recipients in status"
            data={STATUSES}
            value={value.statuses}
            onChange={(statuses) => onChange({ ...value, statuses })}
          />
        </>
      )}
    </Stack>
  );
}
