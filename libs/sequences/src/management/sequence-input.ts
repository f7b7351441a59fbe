import { DomainError } from '@clarion/common';
import { isValidZone } from '@clarion/contacts';
import type { ReenrollmentPolicy, StopWhen } from '../entities/sequence.entity';
import { parseDelay } from '../schedule/delay';
import { parseSendWindow, SendWindow } from '../schedule/send-window';

export const MAX_STEPS = 50;

export interface StepInput {
  template: { name: string; language: string };
  variables?: Record<string, string>;
  /** For a template with a media header: its URL, templated per contact (`{{image_url}}`). */
  headerMediaUrl?: string | null;
  delay: string;
}

/** A sequence as the API receives it (shape checked by the DTO; rules checked here). */
export interface SequenceInput {
  name: string;
  senderId: number;
  steps: StepInput[];
  window?: unknown;
  timezone?: string | null;
  stopOnReply?: boolean;
  stopWhen?: StopWhen | null;
  reenrollment?: ReenrollmentPolicy;
}

export type SequenceChanges = Partial<SequenceInput>;

export interface ParsedStep extends StepInput {
  variables: Record<string, string>;
  headerMediaUrl: string | null;
  delaySeconds: number;
}

export function parseSteps(steps: StepInput[]): ParsedStep[] {
  if (!Array.isArray(steps) || steps.length === 0) throw DomainError.validation('steps must hold at least one step');
  if (steps.length > MAX_STEPS) throw DomainError.validation(`steps may hold at most ${MAX_STEPS} steps`);
  return steps.map((s, i) => ({
    ...s,
    variables: s.variables ?? {},
    headerMediaUrl: s.headerMediaUrl || null,
    delaySeconds: parseDelay(s.delay, `steps[${i}].delay`),
  }));
}

export function parseWindow(value: unknown): SendWindow | null {
  return value === undefined || value === null ? null : parseSendWindow(value);
}

export function parseTimezone(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!isValidZone(value)) throw DomainError.validation(`timezone "${value}" is not an IANA time zone such as "Asia/Kolkata"`);
  return value;
}

export function parseStopWhen(value: StopWhen | null | undefined): StopWhen | null {
  if (value === undefined || value === null) return null;
  if (typeof value.attribute !== 'string' || value.attribute.trim() === '')
    throw DomainError.validation('stopWhen.attribute must name a contact attribute');
  if (typeof value.equals !== 'string') throw DomainError.validation('stopWhen.equals must be a text');
  return { attribute: value.attribute.trim(), equals: value.equals };
}
