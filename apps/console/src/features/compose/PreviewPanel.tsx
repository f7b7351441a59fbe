import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { formatCount } from '../../lib/format';
import { bubbleOf, type TemplateLike } from './bubble';
import { MessageBubble } from './MessageBubble';
import type { DryRunReport } from './queries';
import { skipLabel } from './report';

type Rendered = DryRunReport['samples'][number] & { skipReason?: string | null; message?: string | null };

/**
 * The message for a real contact of the audience, rendered by the server: the dry run's first
 * eligible contacts one by one, or one searched by phone or id.
 */
export function PreviewPanel({
  template,
  report,
  onSearch,
  searched,
}: {
  template: TemplateLike;
  report: DryRunReport | undefined;
  onSearch: (choice: { phone?: string; contactId?: number } | null) => void;
  searched: boolean;
}) {
  const [index, setIndex] = useState(0);
  const [search, setSearch] = useState('');
  const samples = report?.samples ?? [];
  const at = Math.min(index, Math.max(0, samples.length - 1));
  const shown: Rendered | undefined = searched && report?.preview ? report.preview : samples[at];
  const submit = () => {
    const text = search.trim();
    if (!text) return onSearch(null);
    onSearch(/^\d{1,12}$/.test(text) ? { contactId: Number(text) } : { phone: text });
  };
  return (
    <Stack gap="sm">
      <TextInput
        label="Preview for a contact"
        description="Phone or contact id of someone in the audience"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), submit())}
      />
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={submit}>
          Find
        </Button>
        {searched && (
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              setSearch('');
              onSearch(null);
            }}
          >
            Back to samples
          </Button>
        )}
      </Group>
      {searched && report && !report.preview && (
        <Alert color="orange" title="Not in this audience">
          No contact of the audience has that phone or id.
        </Alert>
      )}
      {shown ? (
        <>
          <Text size="sm" data-testid="preview-contact">
            {shown.name ?? 'No name'} · {shown.phone}
          </Text>
          {shown.skipReason ? (
            <Alert color="orange" title={`Would be skipped: ${skipLabel(shown.skipReason)}`}>
              {shown.message}
            </Alert>
          ) : (
            <MessageBubble bubble={bubbleOf(template, shown.components)} label={`Message for ${shown.name ?? shown.phone}`} />
          )}
        </>
      ) : (
        <MessageBubble bubble={bubbleOf(template)} label="Template" />
      )}
      {!searched && samples.length > 1 && (
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={at === 0} onClick={() => setIndex(at - 1)}>
            Previous contact
          </Button>
          <Text size="sm">
            {formatCount(at + 1)} of the first {formatCount(samples.length)}
          </Text>
          <Button variant="default" size="xs" disabled={at >= samples.length - 1} onClick={() => setIndex(at + 1)}>
            Next contact
          </Button>
        </Group>
      )}
    </Stack>
  );
}
