import { Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, QueryState } from '../../components/PageState';
import { DELAY_UNITS, delayInWords, delayToIso } from './delay';
import { sequenceKey, useApprovedTemplates, useSenderList } from './queries';
import {
  emptySequence,
  emptyStep,
  fromSequence,
  type SequenceFormValues,
  type StepValues,
  templateKey,
  templateVariableKeys,
  toSequenceRequest,
  validateSequence,
  WEEKDAY_NAMES,
  WEEKDAYS,
} from './sequence-form';

const HOURS = Array.from({ length: 25 }, (_, h) => `${String(h).padStart(2, '0')}:00`);
/** Browsers' ICU still lists some zones by their old names; people (and the API's country table) use the new ones. */
const RENAMED_ZONES: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
};
const ZONES: string[] = [
  ...new Set([
    'UTC',
    ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []).map((z) => RENAMED_ZONES[z] ?? z),
  ]),
].sort();
const UNIT_OPTIONS = DELAY_UNITS.map((u) => ({ value: u, label: u }));

/** `/sequences/new`, and `/sequences/:id/edit` for one that exists (marketers and admins). */
export default function SequenceBuilderPage() {
  const id = Number(useParams().id);
  const editing = Number.isInteger(id) && id > 0;
  const sequence = useQuery({
    queryKey: sequenceKey(id),
    queryFn: () => unwrap(api.GET('/v1/sequences/{id}', { params: { path: { id } } })),
    enabled: editing,
  });
  if (!editing) return <SequenceForm initial={emptySequence()} />;
  return (
    <QueryState query={sequence} loading={<PageHeader title="Edit sequence" showZone={false} />}>
      {(s) => <SequenceForm initial={fromSequence(s)} id={s.id} />}
    </QueryState>
  );
}

function SequenceForm({ initial, id }: { initial: SequenceFormValues; id?: number }) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<SequenceFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const setStep = (index: number, patch: Partial<StepValues>) =>
    setValues((v) => ({ ...v, steps: v.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) }));
  const senders = useSenderList();
  const sender = senders.data?.find((s) => String(s.id) === values.senderId);
  const templates = useApprovedTemplates(sender?.wabaId, !!sender);
  const navigate = useNavigate();
  const client = useQueryClient();

  const save = useMutation({
    mutationFn: async () => {
      const body = toSequenceRequest(values);
      if (id === undefined) return unwrap(api.POST('/v1/sequences', { body }));
      const { senderId: _fixed, ...patch } = body;
      return unwrap(api.PATCH('/v1/sequences/{id}', { params: { path: { id } }, body: patch }));
    },
    onSuccess: (saved) => {
      client.invalidateQueries({ queryKey: ['sequences'] });
      client.setQueryData(sequenceKey(saved.id), saved);
      navigate(`/sequences/${saved.id}`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateSequence(values);
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate();
  };

  return (
    <>
      <PageHeader
        title={id === undefined ? 'New sequence' : `Edit ${initial.name}`}
        subtitle="Steps sent one after another to each enrolled contact"
        showZone={false}
      />
      <form onSubmit={submit} noValidate aria-label={id === undefined ? 'New sequence' : 'Edit sequence'}>
        <Stack gap="md" maw={860}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <TextInput
                label="Name"
                required
                value={values.name}
                onChange={(e) => set({ name: e.currentTarget.value })}
                error={errors.name}
              />
              <Select
                label="Sender"
                required
                disabled={id !== undefined}
                description={id !== undefined ? "A sequence's sender cannot change" : 'The WhatsApp number its messages go out from'}
                data={(senders.data ?? []).map((s) => ({ value: String(s.id), label: `${s.name} (${s.phoneNumberId})` }))}
                value={values.senderId}
                onChange={(senderId) => set({ senderId, steps: values.steps.map((s) => ({ ...s, template: '', variables: {} })) })}
                error={errors.senderId}
                searchable
              />
            </Stack>
          </Paper>

          <Title order={2} size="h4">
            Steps
          </Title>
          {values.steps.map((step, index) => (
            <StepFields
              key={index}
              index={index}
              step={step}
              errors={errors}
              templates={templates.data ?? []}
              noSender={!sender}
              onChange={(patch) => setStep(index, patch)}
              onRemove={values.steps.length > 1 ? () => set({ steps: values.steps.filter((_, i) => i !== index) }) : undefined}
            />
          ))}
          <Group>
            <Button variant="default" onClick={() => set({ steps: [...values.steps, emptyStep(false)] })}>
              Add a step
            </Button>
          </Group>

          <Paper withBorder p="md" component="section" aria-label="Rules">
            <Stack gap="sm">
              <Title order={2} size="h4">
                Rules
              </Title>
              <Switch
                label="Send only inside a window"
                checked={values.windowEnabled}
                onChange={(e) => set({ windowEnabled: e.currentTarget.checked })}
              />
              {values.windowEnabled && (
                <>
                  <Checkbox.Group
                    label="Days"
                    value={values.days}
                    onChange={(days) => set({ days: days as typeof values.days })}
                    error={errors.days}
                  >
                    <Group gap="md" mt={4}>
                      {WEEKDAYS.map((d) => (
                        <Checkbox key={d} value={d} label={WEEKDAY_NAMES[d]} />
                      ))}
                    </Group>
                  </Checkbox.Group>
                  <Group grow>
                    <Select
                      label="From"
                      data={HOURS.slice(0, 24)}
                      value={values.from}
                      onChange={(from) => from && set({ from })}
                      allowDeselect={false}
                    />
                    <Select
                      label="To"
                      data={HOURS.slice(1)}
                      value={values.to}
                      onChange={(to) => to && set({ to })}
                      error={errors.to}
                      allowDeselect={false}
                    />
                  </Group>
                </>
              )}
              <Select
                label="Time zone"
                description="For contacts whose own zone cannot be told (no timezone attribute, unknown country); UTC when empty"
                data={ZONES}
                value={values.timezone}
                onChange={(timezone) => set({ timezone })}
                searchable
                clearable
                limit={50}
                nothingFoundMessage="No such time zone"
              />
              <Switch
                label="Stop a contact's run when they reply"
                checked={values.stopOnReply}
                onChange={(e) => set({ stopOnReply: e.currentTarget.checked })}
              />
            </Stack>
          </Paper>

          {save.isError && <ErrorState error={save.error} title="The sequence was not saved" />}
          {Object.keys(errors).length > 0 && (
            <Text c="red.8" size="sm" role="alert">
              Some fields need fixing: {Object.values(errors).join('; ')}.
            </Text>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {id === undefined ? 'Create sequence' : 'Save changes'}
            </Button>
            <Button variant="default" onClick={() => navigate(id === undefined ? '/sequences' : `/sequences/${id}`)}>
              Back without saving
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}

type TemplateOption = { name: string; language: string; components: Array<Record<string, unknown>>; parameter_format: string };

function StepFields({
  index,
  step,
  errors,
  templates,
  noSender,
  onChange,
  onRemove,
}: {
  index: number;
  step: StepValues;
  errors: Record<string, string>;
  templates: TemplateOption[];
  noSender: boolean;
  onChange: (patch: Partial<StepValues>) => void;
  onRemove?: () => void;
}) {
  const position = index + 1;
  const template = templates.find((t) => templateKey(t) === step.template);
  const keys = useMemo(() => (template ? templateVariableKeys(template) : Object.keys(step.variables)), [template, step.variables]);
  const options = templates.map((t) => ({ value: templateKey(t), label: `${t.name} (${t.language})` }));
  // An edited step keeps its template even before the sender's templates have loaded.
  if (step.template && !options.some((o) => o.value === step.template))
    options.push({ value: step.template, label: step.template.replace('|', ' (') + ')' });

  return (
    <Paper withBorder p="md" component="section" aria-label={`Step ${position}`} data-testid={`builder-step-${position}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          Step {position}
        </Title>
        {onRemove && (
          <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
            Remove step {position}
          </Button>
        )}
      </Group>
      <Stack gap="sm">
        <Select
          label={`Step ${position} template`}
          description={
            noSender ? 'Pick the sender first: its WABA’s approved templates are listed' : 'Approved templates of the sender’s WABA'
          }
          data={options}
          value={step.template || null}
          onChange={(value) => onChange({ template: value ?? '', variables: {} })}
          error={errors[`steps.${index}.template`]}
          searchable
          disabled={noSender}
        />
        {keys.map((key) => (
          <TextInput
            key={key}
            label={`Step ${position} variable {{${key}}}`}
            placeholder="{{name|there}}"
            description="Text with {{field}} or {{field|fallback}}: name, phone or any attribute"
            value={step.variables[key] ?? ''}
            onChange={(e) => onChange({ variables: { ...step.variables, [key]: e.currentTarget.value } })}
          />
        ))}
        <Group align="flex-end" gap="sm">
          <NumberInput
            label={`Step ${position} delay`}
            min={0}
            allowDecimal={false}
            value={step.amount}
            onChange={(v) => onChange({ amount: typeof v === 'number' ? v : Number(v) || 0 })}
            error={errors[`steps.${index}.amount`]}
            w={140}
          />
          <Select
            label={`Step ${position} delay unit`}
            data={UNIT_OPTIONS}
            value={step.unit}
            onChange={(unit) => unit && onChange({ unit: unit as StepValues['unit'] })}
            allowDeselect={false}
            w={140}
          />
          <Text size="sm" pb={8} data-testid={`builder-step-${position}-when`}>
            Sent {delayInWords(delayToIso(step), position)}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}
