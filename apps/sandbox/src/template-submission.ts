import type { SandboxTemplate } from './sandbox-config';

/** Why Meta refuses a submission: Graph error 100 with these subcode and user-facing texts. */
export interface SubmissionProblem {
  subcode: number;
  title: string;
  message: string;
}

/** Subcodes Meta answers template submissions with (Graph error 100, "Invalid parameter"). */
export const SUBMISSION_SUBCODES = {
  /** A component with variables has no sample values. */
  missingExample: 2388043,
  /** The WABA has this name in this language already. */
  exists: 2388024,
  /** Name, category or components are not what the edge takes. */
  invalid: 2388299,
} as const;

const VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;
const HAS_VARIABLE = /\{\{\s*[a-z0-9_]+\s*\}\}/;
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
const MEDIA = ['IMAGE', 'VIDEO', 'DOCUMENT'];

type Component = SandboxTemplate['components'][number];

/**
 * Reads a `POST /{waba-id}/message_templates` body the way Meta reviews its form (not its
 * content): name, category and components present, and the sample values Meta requires for
 * every variable (`example.body_text` / `body_text_named_params`, `header_text` /
 * `header_text_named_params`, `header_handle` for a media header, a URL button's `example`).
 */
export function readSubmission(body: unknown): SandboxTemplate | SubmissionProblem {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof input.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(input.name))
    return invalid('name must be lower-case letters, digits and underscores');
  if (typeof input.language !== 'string' || input.language.length === 0) return invalid('language is required');
  const category = CATEGORIES.find((c) => c === String(input.category ?? '').toUpperCase());
  if (!category) return invalid('category must be MARKETING, UTILITY or AUTHENTICATION');
  if (!Array.isArray(input.components) || input.components.length === 0) return invalid('components must be a non-empty array');
  const format = String(input.parameter_format ?? 'positional').toUpperCase();
  if (format !== 'POSITIONAL' && format !== 'NAMED') return invalid('parameter_format must be named or positional');
  const components = input.components.map((c) => ({ ...(c as Component), type: String((c as Component)?.type ?? '').toUpperCase() }));
  for (const component of components) {
    const problem = missingExample(component, format);
    if (problem)
      return {
        subcode: SUBMISSION_SUBCODES.missingExample,
        title: 'Message template "components" param is missing expected field(s)',
        message: problem,
      };
  }
  return { name: input.name, language: input.language, category, parameter_format: format, components, status: 'PENDING' };
}

function invalid(message: string): SubmissionProblem {
  return { subcode: SUBMISSION_SUBCODES.invalid, title: 'Invalid message template', message };
}

function missingExample(component: Component, format: 'POSITIONAL' | 'NAMED'): string | undefined {
  const example = (component.example ?? {}) as Record<string, unknown>;
  if (component.type === 'HEADER' && MEDIA.includes(String(component.format ?? '').toUpperCase())) {
    return nonEmptyStrings(example.header_handle) ? undefined : 'HEADER: a media header needs example.header_handle (an uploaded sample)';
  }
  if (component.type === 'HEADER' || component.type === 'BODY') {
    const variables = [...new Set([...String(component.text ?? '').matchAll(VARIABLE)].map((m) => m[1]))];
    if (variables.length === 0) return undefined;
    const part = component.type.toLowerCase();
    if (format === 'NAMED') {
      const named = example[`${part}_text_named_params`];
      const given = Array.isArray(named) ? named.map((p) => (p as { param_name?: unknown })?.param_name) : [];
      const missing = variables.filter((v) => !given.includes(v));
      return missing.length === 0
        ? undefined
        : `${component.type}: example.${part}_text_named_params has no sample for ${missing.map((v) => `{{${v}}}`).join(', ')}`;
    }
    const samples = component.type === 'BODY' ? (Array.isArray(example.body_text) ? example.body_text[0] : undefined) : example.header_text;
    return nonEmptyStrings(samples) && (samples as unknown[]).length === variables.length
      ? undefined
      : `${component.type}: example.${part}_text needs ${variables.length} sample value(s), one per variable`;
  }
  if (component.type === 'BUTTONS') {
    for (const button of component.buttons ?? []) {
      const url = typeof button.url === 'string' ? button.url : '';
      if (String(button.type).toUpperCase() === 'URL' && HAS_VARIABLE.test(url) && !nonEmptyStrings(button.example))
        return `BUTTONS: the URL button "${String(button.text ?? '')}" has a variable but no example`;
    }
  }
  return undefined;
}

function nonEmptyStrings(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0);
}
