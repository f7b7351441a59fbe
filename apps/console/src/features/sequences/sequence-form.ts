import type { Schemas } from '../../api/client';
import type { Sequence } from '../../api/types';
import { type DelayUnit, delayToIso, isoToDelay } from './delay';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export type SequenceRequest = Schemas['CreateSequenceDto'];

export interface StepValues {
  /** `name|language` of an approved template, or '' until one is picked. */
  template: string;
  /** Template variable → text with {{field}} or {{field|fallback}}. */
  variables: Record<string, string>;
  amount: number;
  unit: DelayUnit;
}

export interface SequenceFormValues {
  name: string;
  senderId: string | null;
  steps: StepValues[];
  windowEnabled: boolean;
  days: Weekday[];
  /** "HH:00" */
  from: string;
  /** "HH:00", or "24:00" for the end of the day */
  to: string;
  timezone: string | null;
  stopOnReply: boolean;
}

export function emptyStep(first: boolean): StepValues {
  return { template: '', variables: {}, amount: first ? 0 : 1, unit: 'days' };
}

export function emptySequence(): SequenceFormValues {
  return {
    name: '',
    senderId: null,
    steps: [emptyStep(true)],
    windowEnabled: false,
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    from: '09:00',
    to: '18:00',
    timezone: null,
    stopOnReply: true,
  };
}

export function templateKey(t: { name: string; language: string }): string {
  return `${t.name}|${t.language}`;
}

function templateRef(key: string): { name: string; language: string } {
  const at = key.lastIndexOf('|');
  return { name: key.slice(0, at), language: key.slice(at + 1) };
}

/**
 * What the form sends: POST /v1/sequences and PATCH /v1/sequences/:id take the same fields.
 * Variables left empty are left out (the API names any the template still needs); a window is
 * sent only when it is on, and then `null` clears one on edit.
 */
export function toSequenceRequest(values: SequenceFormValues): SequenceRequest {
  return {
    name: values.name.trim(),
    senderId: Number(values.senderId),
    steps: values.steps.map((step) => ({
      template: templateRef(step.template),
      variables: Object.fromEntries(Object.entries(step.variables).filter(([, text]) => text.trim() !== '')),
      delay: delayToIso({ amount: step.amount, unit: step.unit }),
    })),
    window: values.windowEnabled ? { days: WEEKDAYS.filter((d) => values.days.includes(d)), from: values.from, to: values.to } : null,
    timezone: values.timezone || null,
    stopOnReply: values.stopOnReply,
    reenrollment: 'ignore',
  };
}

/** A stored sequence as the form shows it, for editing. */
export function fromSequence(s: Sequence): SequenceFormValues {
  return {
    name: s.name,
    senderId: String(s.senderId),
    steps: s.steps.map((step) => {
      const delay = isoToDelay(step.delay) ?? { amount: 0, unit: 'days' as const };
      return { template: templateKey(step.template), variables: { ...step.variables }, ...delay };
    }),
    windowEnabled: s.window !== null,
    days: s.window ? (s.window.days.filter((d) => (WEEKDAYS as readonly string[]).includes(d)) as Weekday[]) : emptySequence().days,
    from: s.window?.from ?? '09:00',
    to: s.window?.to ?? '18:00',
    timezone: s.timezone,
    stopOnReply: s.stopOnReply,
  };
}

/** What the form must fix before it can be sent, by field path (as Mantine's form names them). */
export function validateSequence(values: SequenceFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Give the sequence a name';
  if (!values.senderId) errors.senderId = 'Pick the sender its messages go out from';
  values.steps.forEach((step, i) => {
    if (!step.template) errors[`steps.${i}.template`] = 'Pick an approved template';
    if (!Number.isInteger(step.amount) || step.amount < 0) errors[`steps.${i}.amount`] = 'A whole number, 0 or more';
  });
  if (values.windowEnabled) {
    if (values.days.length === 0) errors.days = 'Tick at least one day';
    if (values.from === values.to) errors.to = 'The window must end at another hour than it starts';
  }
  return errors;
}

interface TemplateComponent {
  type?: string;
  format?: string;
  text?: string;
  buttons?: Array<{ type?: string; url?: string }>;
}

const VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/gi;

function variablesIn(text: string | undefined): string[] {
  return [...new Set([...(text ?? '').matchAll(VARIABLE)].map((m) => m[1]))];
}

/**
 * The mapping keys a template needs filled, as the API names them: body variables ("1", or
 * "first_name"), a text header's ("header.1" when positional), URL buttons' ("button.0").
 */
export function templateVariableKeys(template: { components: Array<Record<string, unknown>>; parameter_format: string }): string[] {
  const components = template.components as TemplateComponent[];
  const named = template.parameter_format === 'named';
  const keys: string[] = [];
  const header = components.find((c) => c.type?.toUpperCase() === 'HEADER');
  if (header && (header.format ?? 'TEXT').toUpperCase() === 'TEXT')
    keys.push(...variablesIn(header.text).map((v) => (named ? v : `header.${v}`)));
  keys.push(...variablesIn(components.find((c) => c.type?.toUpperCase() === 'BODY')?.text));
  const buttons = components.find((c) => c.type?.toUpperCase() === 'BUTTONS')?.buttons ?? [];
  buttons.forEach((b, index) => {
    if (b.type?.toUpperCase() === 'URL' && variablesIn(b.url).length > 0) keys.push(`button.${index}`);
  });
  return keys;
}
