import { Button, FileInput, Group, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { postSheet } from '../../api/upload';
import { ErrorState } from '../../components/PageState';
import { formatCount } from '../../lib/format';
import { sequenceKey } from './queries';

type Source = 'list' | 'tags' | 'contacts' | 'sheet';
const SOURCES: Array<{ value: Source; label: string }> = [
  { value: 'list', label: 'A list' },
  { value: 'tags', label: 'Tags' },
  { value: 'contacts', label: 'Contact ids' },
  { value: 'sheet', label: 'A sheet (CSV or XLSX)' },
];

interface EnrollAnswer {
  enrolled: number | null;
  alreadyEnrolled?: number | null;
  optedOut?: number | null;
  importId?: number;
  status?: 'importing' | 'enrolled' | 'failed';
  failureReason?: string | null;
}

/** Words a person types, split on commas (and, for ids, spaces). */
export function splitWords(text: string, alsoSpaces = false): string[] {
  return text
    .split(alsoSpaces ? /[\s,;]+/ : /[,;]+/)
    .map((w) => w.trim())
    .filter(Boolean);
}

/** Enrol a list, tags, contact ids, or a sheet whose every row enrols a contact with its columns as attributes. */
export function EnrolPanel({ sequenceId }: { sequenceId: number }) {
  const [source, setSource] = useState<Source>('list');
  const [listId, setListId] = useState<string | null>(null);
  const [tags, setTags] = useState('');
  const [contactIds, setContactIds] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [country, setCountry] = useState('');
  const [sheetImport, setSheetImport] = useState<number | null>(null);
  const client = useQueryClient();

  const lists = useQuery({
    queryKey: ['lists', 'all'],
    queryFn: async () =>
      (await unwrap(api.GET('/v1/lists', { params: { query: { limit: 1000 } } }))) as unknown as {
        data: Array<{ id: number; name: string; size: number }>;
      },
    enabled: source === 'list',
  });

  const enrol = useMutation({
    mutationFn: async (): Promise<EnrollAnswer> => {
      if (source === 'sheet') {
        if (!file) throw new Error('Pick a CSV or XLSX file');
        const form = new FormData();
        if (country.trim()) form.append('defaultCountry', country.trim().toUpperCase());
        form.append('file', file, file.name);
        return postSheet<EnrollAnswer>(`/v1/sequences/${sequenceId}/enrollments`, form);
      }
      const body =
        source === 'list'
          ? { listId: Number(listId) }
          : source === 'tags'
            ? { tags: splitWords(tags) }
            : { contactIds: splitWords(contactIds, true).map(Number) };
      return (await unwrap(
        api.POST('/v1/sequences/{id}/enrollments', { params: { path: { id: sequenceId } }, body }),
      )) as unknown as EnrollAnswer;
    },
    onSuccess: (answer) => {
      setSheetImport(answer.importId ?? null);
      client.invalidateQueries({ queryKey: sequenceKey(sequenceId) });
    },
  });

  const sheet = useQuery({
    queryKey: ['sequence', sequenceId, 'sheet', sheetImport],
    queryFn: () =>
      unwrap(
        api.GET('/v1/sequences/{id}/sheets/{importId}', { params: { path: { id: sequenceId, importId: sheetImport! } } }),
      ) as unknown as Promise<EnrollAnswer>,
    enabled: sheetImport !== null,
    refetchInterval: (q) => (q.state.data?.status === 'importing' || !q.state.data ? 1_000 : false),
  });
  const result = sheetImport !== null ? sheet.data : enrol.data;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    enrol.mutate();
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="enrol">
      <Title order={2} size="h4" id="enrol" mb="xs">
        Enrol contacts
      </Title>
      <form onSubmit={submit} aria-labelledby="enrol">
        <Stack gap="sm">
          <SegmentedControl
            aria-label="Enrol from"
            data={SOURCES}
            value={source}
            onChange={(v) => {
              setSource(v as Source);
              enrol.reset();
              setSheetImport(null);
            }}
          />
          {source === 'list' && (
            <Select
              label="List"
              data={(lists.data?.data ?? []).map((l) => ({ value: String(l.id), label: `${l.name} (${formatCount(l.size)})` }))}
              value={listId}
              onChange={setListId}
              searchable
              nothingFoundMessage="No such list"
            />
          )}
          {source === 'tags' && (
            <TextInput
              label="Tags"
              description="Comma-separated; contacts with any of them"
              value={tags}
              onChange={(e) => setTags(e.currentTarget.value)}
            />
          )}
          {source === 'contacts' && (
            <TextInput
              label="Contact ids"
              description="Comma- or space-separated"
              value={contactIds}
              onChange={(e) => setContactIds(e.currentTarget.value)}
            />
          )}
          {source === 'sheet' && (
            <Group grow align="flex-start">
              <FileInput
                label="Sheet"
                description="A phone column, an optional name; every other column becomes an attribute"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file}
                onChange={setFile}
                clearable
              />
              <TextInput
                label="Default country"
                description="ISO code for numbers without one, e.g. IN"
                value={country}
                onChange={(e) => setCountry(e.currentTarget.value)}
                maxLength={2}
              />
            </Group>
          )}
          <Group>
            <Button type="submit" loading={enrol.isPending || sheet.data?.status === 'importing'}>
              Enrol
            </Button>
          </Group>
          {enrol.isError && <ErrorState error={enrol.error} title="Nobody was enrolled" />}
          {sheet.isError && <ErrorState error={sheet.error} title="The sheet's progress could not be read" />}
          {result && <EnrolResult answer={result} />}
        </Stack>
      </form>
    </Paper>
  );
}

function EnrolResult({ answer }: { answer: EnrollAnswer }) {
  if (answer.status === 'importing')
    return (
      <Text size="sm" role="status">
        Importing the sheet; its contacts are enrolled when it is done…
      </Text>
    );
  if (answer.status === 'failed')
    return <ErrorState error={answer.failureReason ?? 'the sheet failed'} title="The sheet was not enrolled" />;
  return (
    <Text size="sm" role="status" data-testid="enrol-result">
      Enrolled {formatCount(answer.enrolled ?? 0)}
      {answer.alreadyEnrolled ? `; ${formatCount(answer.alreadyEnrolled)} already enrolled` : ''}
      {answer.optedOut ? `; ${formatCount(answer.optedOut)} opted out, left out` : ''}.
    </Text>
  );
}
