import { Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { ContactList } from '../../api/types';
import { formatCount } from '../../lib/format';
import type { ContactFilterBody } from './contact-filters';

type Action = 'tag' | 'untag' | 'setAttribute' | 'unsetAttribute' | 'addToList' | 'delete';

const ACTIONS: Array<{ action: Action; label: string; done: string }> = [
  { action: 'tag', label: 'Add tag', done: 'tagged' },
  { action: 'untag', label: 'Remove tag', done: 'untagged' },
  { action: 'setAttribute', label: 'Set attribute', done: 'changed' },
  { action: 'unsetAttribute', label: 'Unset attribute', done: 'changed' },
  { action: 'addToList', label: 'Add to list', done: 'added to the list' },
  { action: 'delete', label: 'Delete contacts', done: 'deleted' },
];

interface Fields {
  tag: string;
  key: string;
  value: string;
  listId: string | null;
}

/**
 * Changes on many contacts at once: the selected rows, or every contact the filters match (the
 * server applies the same filter, so a million are changed without listing them here).
 */
export function BulkActions({
  filter,
  selected,
  onDone,
  lists,
}: {
  filter: ContactFilterBody;
  selected: number[];
  onDone: () => void;
  lists: ContactList[];
}) {
  const client = useQueryClient();
  const [scope, setScope] = useState<'selected' | 'filter'>('selected');
  const [open, setOpen] = useState<Action | null>(null);
  const [fields, setFields] = useState<Fields>({ tag: '', key: '', value: '', listId: null });
  const target = scope === 'selected' ? { contactIds: selected } : filter;
  const disabled = scope === 'selected' && selected.length === 0;

  const run = useMutation({
    mutationFn: async (action: Action) => {
      const body = { filter: target };
      switch (action) {
        case 'setAttribute':
          return unwrap(api.POST('/v1/contacts/attributes', { body: { ...body, set: { [fields.key.trim()]: fields.value } } }));
        case 'unsetAttribute':
          return unwrap(api.POST('/v1/contacts/attributes', { body: { ...body, unset: [fields.key.trim()] } }));
        case 'tag':
        case 'untag':
          return unwrap(api.POST('/v1/contacts/bulk', { body: { ...body, action, tags: [fields.tag.trim()] } }));
        case 'addToList':
          return unwrap(api.POST('/v1/contacts/bulk', { body: { ...body, action, listId: Number(fields.listId) } }));
        case 'delete':
          return unwrap(api.POST('/v1/contacts/bulk', { body: { ...body, action } }));
      }
    },
    onSuccess: (result, action) => {
      const done = ACTIONS.find((a) => a.action === action)?.done;
      notifications.show({ color: 'green', title: 'Done', message: `${formatCount(result.matched)} contacts ${done}` });
      setOpen(null);
      onDone();
      void client.invalidateQueries({ queryKey: ['contacts'] });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Nothing was changed', message: error.message }),
  });

  const ready =
    open === 'tag' || open === 'untag'
      ? !!fields.tag.trim()
      : open === 'setAttribute' || open === 'unsetAttribute'
        ? !!fields.key.trim()
        : open === 'addToList'
          ? !!fields.listId
          : true;
  const who = scope === 'selected' ? `the ${formatCount(selected.length)} selected contacts` : 'every contact matching the filters';

  return (
    <Paper withBorder p="md" mb="md">
      <Group align="center" wrap="wrap">
        <Text size="sm" fw={500} id="bulk-scope-label">
          Apply to
        </Text>
        <SegmentedControl
          aria-labelledby="bulk-scope-label"
          value={scope}
          onChange={(v) => setScope(v as 'selected' | 'filter')}
          data={[
            { value: 'selected', label: `Selected (${selected.length})` },
            { value: 'filter', label: 'All matching the filters' },
          ]}
        />
        {ACTIONS.map((a) => (
          <Button
            key={a.action}
            size="xs"
            variant={a.action === 'delete' ? 'outline' : 'default'}
            color={a.action === 'delete' ? 'red' : undefined}
            disabled={disabled}
            onClick={() => setOpen(a.action)}
          >
            {a.label}
          </Button>
        ))}
      </Group>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={ACTIONS.find((a) => a.action === open)?.label}>
        <Stack>
          <Text size="sm">This changes {who}.</Text>
          {(open === 'tag' || open === 'untag') && (
            <TextInput label="Tag name" value={fields.tag} onChange={(e) => setFields({ ...fields, tag: e.currentTarget.value })} />
          )}
          {(open === 'setAttribute' || open === 'unsetAttribute') && (
            <TextInput label="Attribute name" value={fields.key} onChange={(e) => setFields({ ...fields, key: e.currentTarget.value })} />
          )}
          {open === 'setAttribute' && (
            <TextInput
              label="Attribute value"
              value={fields.value}
              onChange={(e) => setFields({ ...fields, value: e.currentTarget.value })}
            />
          )}
          {open === 'addToList' && (
            <Select
              label="Contact list"
              data={lists.map((l) => ({ value: String(l.id), label: l.name }))}
              value={fields.listId}
              onChange={(listId) => setFields({ ...fields, listId })}
              searchable
            />
          )}
          {open === 'delete' && <Text size="sm">Deleted contacts cannot be brought back; past broadcasts keep their phones.</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(null)}>
              Back
            </Button>
            <Button
              color={open === 'delete' ? 'red' : undefined}
              disabled={!ready}
              loading={run.isPending}
              onClick={() => open && run.mutate(open)}
            >
              {open === 'delete' ? 'Delete them' : 'Apply'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
