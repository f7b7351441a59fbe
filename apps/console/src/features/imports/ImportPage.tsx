import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { postSheet } from '../../api/upload';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState } from '../../components/PageState';
import { StatTile } from '../../components/StatTile';
import { formatCount } from '../../lib/format';
import { NewBroadcastButton } from '../compose/NewBroadcastButton';
import {
  acceptedShare,
  assignRole,
  choiceFromPreview,
  type ColumnChoice,
  type ColumnRole,
  type ImportView,
  importPace,
  mappingField,
  previewPart,
  roleOf,
  type SheetPreview,
} from './mapping';

const ROLE_OPTIONS: Array<{ value: ColumnRole; label: string }> = [
  { value: 'phone', label: 'Phone' },
  { value: 'countryCode', label: 'Country code' },
  { value: 'name', label: 'Name' },
  { value: 'attribute', label: 'Attribute' },
  { value: 'ignored', label: 'Ignored' },
];

function sameFile(key: readonly unknown[], file: File | null): boolean {
  return !!file && key[1] === file.name && key[2] === file.size && key[3] === file.lastModified;
}

interface Settings {
  defaultCountry: string;
  list: string;
  tags: string;
}

function sheetForm(file: Blob, name: string, choice: ColumnChoice | null, settings: Settings): FormData {
  const form = new FormData();
  if (settings.defaultCountry.trim()) form.append('defaultCountry', settings.defaultCountry.trim());
  if (choice) form.append('mapping', mappingField(choice));
  if (settings.list.trim()) form.append('list', settings.list.trim());
  if (settings.tags.trim()) form.append('tags', settings.tags.trim());
  form.append('file', file, name);
  return form;
}

/**
 * Marketers' import wizard: a file, the server's preview of it (read by the import's own reader),
 * the columns, then the upload and the import's live progress, and its result.
 */
export default function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [settings, setSettings] = useState<Settings>({ defaultCountry: '', list: '', tags: '' });
  const [choice, setChoice] = useState<ColumnChoice | null>(null);
  const [importId, setImportId] = useState<number | null>(null);
  const [upload, setUpload] = useState<{ share: number; error: unknown } | null>(null);
  const [debouncedCountry] = useDebouncedValue(settings.defaultCountry, 400);

  const preview = useQuery({
    queryKey: ['import-preview', file?.name, file?.size, file?.lastModified, debouncedCountry, choice && mappingField(choice)],
    // The preview reads the columns and the country; list and tags only matter to the import.
    queryFn: () =>
      postSheet<SheetPreview>(
        '/v1/imports/preview',
        sheetForm(previewPart(file!), file!.name, choice, { defaultCountry: debouncedCountry, list: '', tags: '' }),
      ),
    enabled: !!file && importId === null,
    retry: false,
    // Keep the rows on screen while a changed mapping or country is read again, not for another file.
    placeholderData: (previous, query) => (query && sameFile(query.queryKey, file) ? previous : undefined),
  });

  useEffect(() => {
    if (preview.data && !choice) setChoice(choiceFromPreview(preview.data));
  }, [preview.data, choice]);

  const progress = useQuery({
    queryKey: ['import', importId],
    queryFn: () => unwrap(api.GET('/v1/imports/{id}', { params: { path: { id: importId! } } })) as Promise<ImportView>,
    enabled: importId !== null,
    refetchInterval: (q) => (q.state.data && ['completed', 'failed'].includes(q.state.data.status) ? false : 1_000),
  });

  const finished = progress.data && ['completed', 'failed'].includes(progress.data.status);
  const active = !file || !preview.data ? 0 : importId === null && !upload ? 1 : finished ? 3 : 2;

  const start = async () => {
    if (!file) return;
    setUpload({ share: 0, error: null });
    try {
      const accepted = await postSheet<{ id: number }>('/v1/imports', sheetForm(file, file.name, choice, settings), (share) =>
        setUpload({ share, error: null }),
      );
      setImportId(accepted.id);
    } catch (error) {
      setUpload({ share: 0, error });
    }
  };

  const restart = () => {
    setFile(null);
    setChoice(null);
    setImportId(null);
    setUpload(null);
  };

  return (
    <>
      <PageHeader title="Import contacts" subtitle="A CSV or Excel sheet: phones in any spelling, one contact per row" showZone={false} />
      <Stepper active={active} allowNextStepsSelect={false} mb="lg" size="sm">
        <Stepper.Step label="File" description="CSV or .xlsx" />
        <Stepper.Step label="Columns" description="Check the preview" />
        <Stepper.Step label="Import" description="Upload and read" />
        <Stepper.Step label="Result" description="What came in" />
      </Stepper>

      {active <= 1 && (
        <Stack gap="md">
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <FileInput
                label="Contact sheet"
                description="CSV (UTF-8; comma, semicolon or tab) or Excel .xlsx"
                placeholder="Choose a file"
                accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                value={file}
                onChange={(f) => {
                  setFile(f);
                  setChoice(null);
                }}
                clearable
                clearButtonProps={{ 'aria-label': 'Remove the file' }}
              />
              <TextInput
                label="Default country"
                description="ISO code for numbers written without a country code, e.g. IN"
                maxLength={2}
                value={settings.defaultCountry}
                onChange={(e) => setSettings({ ...settings, defaultCountry: e.currentTarget.value.toUpperCase() })}
              />
            </SimpleGrid>
          </Paper>
          {preview.isFetching && !preview.data && <Text c="dimmed">Reading the first rows…</Text>}
          {preview.error && <ErrorState error={preview.error} title="This sheet cannot be imported" />}
          {preview.data && choice && (
            <ColumnsStep
              preview={preview.data}
              choice={choice}
              onChoice={setChoice}
              settings={settings}
              onSettings={setSettings}
              onImport={start}
              refreshing={preview.isFetching}
            />
          )}
        </Stack>
      )}

      {active === 2 && <ProgressStep upload={upload} view={progress.data} fileName={file?.name ?? ''} onRetry={restart} />}

      {active === 3 && progress.data && <ResultStep view={progress.data} onAnother={restart} />}
    </>
  );
}

function ColumnsStep({
  preview,
  choice,
  onChoice,
  settings,
  onSettings,
  onImport,
  refreshing,
}: {
  preview: SheetPreview;
  choice: ColumnChoice;
  onChoice: (choice: ColumnChoice) => void;
  settings: Settings;
  onSettings: (settings: Settings) => void;
  onImport: () => void;
  refreshing: boolean;
}) {
  const { accepted, shown } = acceptedShare(preview);
  const format =
    preview.format === 'xlsx'
      ? `Excel sheet “${preview.sheet}”`
      : `CSV, UTF-8, “${preview.delimiter === '\t' ? 'tab' : preview.delimiter}” separated`;
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>Columns</Text>
          <Text size="sm" c="dimmed" data-testid="preview-format">
            {format}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          {preview.headers.map((header) => (
            <Select
              key={header}
              label={header}
              data={ROLE_OPTIONS.filter((o) => o.value !== 'name' || choice.name.length <= 1 || !choice.name.includes(header))}
              value={choice.name.length > 1 && choice.name.includes(header) ? 'attribute' : roleOf(choice, header)}
              onChange={(role) => role && onChoice(assignRole(choice, header, role as ColumnRole, preview.headers))}
              allowDeselect={false}
            />
          ))}
        </SimpleGrid>
        {choice.name.length > 1 && (
          <Text size="sm" c="dimmed" mt="xs">
            Name: {choice.name.join(' + ')}
          </Text>
        )}
      </Paper>

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>First rows, as they would be imported</Text>
          <Badge color={accepted === shown ? 'teal' : 'red.9'} variant="outline" data-testid="preview-accepted">
            {accepted} of {shown} rows would be imported
          </Badge>
        </Group>
        <Table.ScrollContainer minWidth={600}>
          <Table striped withTableBorder aria-busy={refreshing} data-testid="preview-rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Phone (E.164)</Table.Th>
                <Table.Th>Name</Table.Th>
                {preview.headers.map((h) => (
                  <Table.Th key={h}>{h}</Table.Th>
                ))}
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.rows.map((r) => (
                <Table.Tr key={r.row}>
                  <Table.Td>{r.row}</Table.Td>
                  <Table.Td ff="monospace">{r.phone ?? '—'}</Table.Td>
                  <Table.Td>{r.name ?? '—'}</Table.Td>
                  {preview.headers.map((h, i) => (
                    <Table.Td key={h}>{r.cells[i] ?? ''}</Table.Td>
                  ))}
                  <Table.Td>
                    {r.problem && (
                      <Text size="sm" c="red.9">
                        {r.problem}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Add to list"
            description="Created if it does not exist; leave empty for none"
            value={settings.list}
            onChange={(e) => onSettings({ ...settings, list: e.currentTarget.value })}
          />
          <TextInput
            label="Tags"
            description="Comma-separated, e.g. vip, pune"
            value={settings.tags}
            onChange={(e) => onSettings({ ...settings, tags: e.currentTarget.value })}
          />
        </SimpleGrid>
        <Group justify="flex-end" mt="md">
          <Button onClick={onImport}>Import the sheet</Button>
        </Group>
      </Paper>
    </Stack>
  );
}

function ProgressStep({
  upload,
  view,
  fileName,
  onRetry,
}: {
  upload: { share: number; error: unknown } | null;
  view: ImportView | undefined;
  fileName: string;
  onRetry: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  if (upload?.error) {
    return (
      <Stack>
        <ErrorState error={upload.error} title="The upload was refused" />
        <Group>
          <Button variant="default" onClick={onRetry}>
            Start again
          </Button>
        </Group>
      </Stack>
    );
  }
  if (!view) {
    const percent = Math.round((upload?.share ?? 0) * 100);
    return (
      <Paper withBorder p="md">
        <Text mb="xs">
          Uploading {fileName}: {percent}%
        </Text>
        <Progress value={percent} aria-label="Upload" />
      </Paper>
    );
  }
  const pace = importPace(view, now);
  const percent = view.totalRows > 0 ? Math.min(100, Math.round((view.processedRows / view.totalRows) * 100)) : 0;
  return (
    <Paper withBorder p="md" data-testid="import-progress">
      <Text mb="xs">
        {view.status === 'queued'
          ? 'Waiting for a worker…'
          : `Read ${formatCount(view.processedRows)} of about ${formatCount(view.totalRows)} rows`}
      </Text>
      <Progress value={percent} aria-label="Import" animated={view.status === 'running'} />
      {pace && (
        <Text size="sm" c="dimmed" mt="xs">
          {formatCount(Math.round(pace.rowsPerSecond))} rows/s
          {pace.secondsLeft !== null && ` · about ${Math.ceil(pace.secondsLeft)} s left`}
        </Text>
      )}
    </Paper>
  );
}

function ResultStep({ view, onAnother }: { view: ImportView; onAnother: () => void }) {
  return (
    <Stack gap="md" data-testid="import-result">
      {view.status === 'failed' ? (
        <Alert color="red" title="The import failed" role="alert">
          {view.failureReason}
        </Alert>
      ) : (
        <Alert color="green" title="Imported">
          {formatCount(view.processedRows)} rows read from {view.fileName ?? 'the sheet'}.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <StatTile label="Created" value={view.created} testId="import-created" />
        <StatTile label="Updated" value={view.updated} testId="import-updated" />
        <StatTile label="Duplicates" value={view.duplicates} testId="import-duplicates" />
        <StatTile label="Invalid" value={view.invalid} testId="import-invalid" />
        <StatTile label="Skipped" value={view.skipped} testId="import-skipped" />
      </SimpleGrid>
      {view.errors.length > 0 && (
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Text fw={600}>Rejected rows</Text>
            <Anchor href={`/v1/imports/${view.id}/errors.csv`} download>
              Download errors.csv (every rejected row)
            </Anchor>
          </Group>
          <Table withTableBorder data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.errors.slice(0, 20).map((e) => (
                <Table.Tr key={e.row}>
                  <Table.Td>{e.row}</Table.Td>
                  <Table.Td>{e.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Group>
        <Button variant="default" onClick={onAnother}>
          Import another sheet
        </Button>
        {view.status === 'completed' && (
          <NewBroadcastButton
            search={view.listId ? `?listId=${view.listId}` : `?importId=${view.id}`}
            label={view.listId ? 'Broadcast to this list' : 'Broadcast to these contacts'}
          />
        )}
      </Group>
    </Stack>
  );
}
