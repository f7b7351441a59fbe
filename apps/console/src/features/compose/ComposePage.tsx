import { Alert, Button, Grid, Group, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, PageLoading } from '../../components/PageState';
import { formatCount, formatMoney } from '../../lib/format';
import { formatDateTime, viewerTimeZone, zoneLabel } from '../../lib/time';
import { useBroadcast, useSenders } from '../broadcasts/queries';
import { AudienceFields } from './AudienceFields';
import { AudienceReport, sumCost } from './AudienceReport';
import { templateVariables } from './bubble';
import {
  audienceRequest,
  blankForm,
  broadcastRequest,
  type ComposeForm,
  fieldSuggestions,
  formOfBroadcast,
  instantInZone,
} from './compose-form';
import { PreviewPanel } from './PreviewPanel';
import { useApprovedTemplates, useAttributeKeys, useDryRun, usePhoneContacts, useSenderList } from './queries';
import { ScheduleFields } from './ScheduleFields';
import { TestSendPanel } from './TestSendPanel';
import { VariableFields } from './VariableFields';

/** `/broadcasts/new` and `/broadcasts/:id/edit`: the composer, blank or filled from a draft or scheduled broadcast. */
export default function ComposePage() {
  const id = Number(useParams().id);
  const editing = Number.isInteger(id) && id > 0;
  const existing = useBroadcast(editing ? id : 0);
  const [params] = useSearchParams();
  if (!editing) return <Composer initial={blankForm(params, viewerTimeZone())} />;
  if (existing.isPending) return <PageLoading />;
  if (existing.isError) return <ErrorState error={existing.error} />;
  const b = existing.data;
  if (!['draft', 'scheduled'].includes(b.status))
    return (
      <>
        <PageHeader title={`Edit ${b.name}`} showZone={false} />
        <Alert color="orange" title="This broadcast cannot be edited">
          It is {b.status}; only drafts and scheduled broadcasts can be edited. Copy it to send it again.
        </Alert>
      </>
    );
  return <Composer initial={formOfBroadcast(b, viewerTimeZone())} editId={b.id} draft={b.status === 'draft'} />;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Composer({ initial, editId, draft = false }: { initial: ComposeForm; editId?: number; draft?: boolean }) {
  const zone = viewerTimeZone();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form, setForm] = useState<ComposeForm>(initial);
  const [previewContact, setPreviewContact] = useState<{ phone?: string; contactId?: number } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const set = (patch: Partial<ComposeForm>) => setForm((f) => ({ ...f, ...patch }));

  const senders = useSenderList();
  const quotas = useSenders();
  const sender = senders.data?.data.find((s) => s.id === form.senderId);
  const quota = quotas.data?.find((q) => q.id === form.senderId);
  const templates = useApprovedTemplates(sender?.wabaId, !!sender);
  const template = templates.data?.find((t) => t.name === form.template?.name && t.language === form.template?.language);
  const { keys, media } = useMemo(() => (template ? templateVariables(template) : { keys: [], media: null }), [template]);

  const phones = usePhoneContacts(form.audience);
  const audience = audienceRequest(form.audience, phones.data?.ids);
  const attributeKeys = useAttributeKeys(audience);
  const request = template ? broadcastRequest(form, keys, !!media, phones.data?.ids) : null;
  const [debounced] = useDebouncedValue(request, 400);
  const dryRun = useDryRun(debounced, previewContact);
  const report = request ? dryRun.data : undefined;
  const counting = dryRun.isFetching || JSON.stringify(debounced) !== JSON.stringify(request);

  // A sender's templates differ: a template picked for another sender is dropped.
  useEffect(() => {
    if (templates.data && form.template && !template) set({ template: null });
  }, [templates.data, form.template, template]);

  const start =
    form.schedule.mode !== 'now' && form.schedule.date && form.schedule.time
      ? instantInZone(form.schedule.date, form.schedule.time, form.schedule.zone)
      : new Date();

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        ...request!,
        ...(editId && form.schedule.mode === 'now' ? { scheduledAt: new Date().toISOString() } : {}),
        // Saving a draft (a copy) schedules it.
        ...(draft ? { draft: false } : {}),
      };
      if (editId)
        return unwrap(
          api.PATCH('/v1/broadcasts/{id}', { params: { path: { id: editId } }, body: body as unknown as Schemas['UpdateBroadcastDto'] }),
        );
      return unwrap(api.POST('/v1/broadcasts', { body: body as unknown as Schemas['CreateBroadcastDto'] }));
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['broadcast', saved.id] });
      await client.invalidateQueries({ queryKey: ['broadcasts'] });
      navigate(`/broadcasts/${saved.id}`);
    },
  });

  return (
    <>
      <PageHeader
        title={editId ? `Edit ${initial.name}` : 'New broadcast'}
        subtitle="A WhatsApp template to an audience, counted and rendered by the server"
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section title="Message">
              <Stack gap="sm">
                <TextInput label="Broadcast name" value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} required />
                <Select
                  label="Sender"
                  placeholder="Choose a sender"
                  data={(senders.data?.data ?? []).map((s) => ({ value: String(s.id), label: `${s.name} (${s.status})` }))}
                  value={form.senderId ? String(form.senderId) : null}
                  onChange={(v) => set({ senderId: v ? Number(v) : null })}
                />
                <Select
                  label="Template"
                  description="APPROVED templates of the sender's WhatsApp Business Account"
                  placeholder={sender ? 'Choose a template' : 'Choose a sender first'}
                  disabled={!sender}
                  searchable
                  data={(templates.data ?? []).map((t) => ({
                    value: `${t.name}|${t.language}`,
                    label: `${t.name} · ${t.language} · ${t.category.toLowerCase()}`,
                  }))}
                  value={form.template ? `${form.template.name}|${form.template.language}` : null}
                  onChange={(v) => {
                    const [name, language] = (v ?? '').split('|');
                    set({ template: v ? { name, language } : null, variables: {} });
                  }}
                />
              </Stack>
            </Section>
            <Section title="Audience">
              <AudienceFields value={form.audience} onChange={(a) => set({ audience: a })} unknownPhones={phones.data?.unknown ?? []} />
            </Section>
            {template && (
              <Section title="Variables">
                <VariableFields
                  keys={keys}
                  media={media}
                  values={form.variables}
                  headerMediaUrl={form.headerMediaUrl}
                  fields={fieldSuggestions(attributeKeys.data ?? [])}
                  onChange={(variables) => set({ variables })}
                  onMediaUrl={(headerMediaUrl) => set({ headerMediaUrl })}
                />
              </Section>
            )}
            <Section title="Schedule">
              <ScheduleFields value={form.schedule} onChange={(schedule) => set({ schedule })} viewerZone={zone} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Section title="Recipients and cost">
              <AudienceReport
                report={report}
                error={request ? dryRun.error : null}
                counting={!!request && counting}
                quota={quota}
                start={start}
                viewerZone={zone}
              />
            </Section>
            <Section title="Preview">
              {template ? (
                <PreviewPanel template={template} report={report} onSearch={setPreviewContact} searched={!!previewContact} />
              ) : (
                <Text c="dimmed">Choose a template to see the message.</Text>
              )}
            </Section>
            <Section title="Test send">
              <TestSendPanel request={request} />
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => navigate(editId ? `/broadcasts/${editId}` : '/broadcasts')}>
          Cancel
        </Button>
        <Button onClick={() => setConfirming(true)} disabled={!report || counting || !form.name.trim()}>
          {editId ? 'Review and save' : 'Review and send'}
        </Button>
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={editId ? 'Save the changes?' : 'Send this broadcast?'}>
        {report && (
          <Stack gap="sm" data-testid="confirm-summary">
            <Text>
              <strong>{form.name}</strong> to <strong>{formatCount(report.wouldSend)} recipients</strong>
              {report.skipped > 0 && ` (${formatCount(report.skipped)} skipped)`}.
            </Text>
            <Text>Estimated cost: {formatMoney(sumCost(report), report.currency)}.</Text>
            <Text>
              {form.schedule.mode === 'now'
                ? 'Starts now.'
                : form.schedule.mode === 'at'
                  ? `Starts ${formatDateTime(start, form.schedule.zone)} ${zoneLabel(form.schedule.zone, start)}.`
                  : `Each recipient gets it at ${form.schedule.time} on ${form.schedule.date} in their own zone (${form.schedule.zone} when unknown).`}
            </Text>
            {save.error && <ErrorState error={save.error} title="Not saved" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)}>
                Back
              </Button>
              <Button onClick={() => save.mutate()} loading={save.isPending}>
                {editId ? 'Save changes' : form.schedule.mode === 'now' ? 'Send now' : 'Schedule'}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
