import { DomainError } from '@clarion/common';
import type { TemplateCategory } from '../template.entity';

/** A template as Meta's `message_templates` API spells it (types and category in any case). */
export interface TemplateInput {
  name: string;
  language: string;
  category: string;
  components: unknown;
  parameter_format?: string;
}

export type TemplateComponent = Record<string, unknown> & { type: string };

export interface ValidTemplate {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: TemplateComponent[];
}

/* Meta's limits (message template guidelines). */
export const LIMITS = { name: 512, body: 1024, header: 60, footer: 60, buttons: 10, buttonText: 25 } as const;
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'] as const;
const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;

/** Any `{{…}}`; what is inside decides whether it is a valid variable. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const POSITIONAL = /^[1-9]\d*$/;
const NAMED = /^[a-z][a-z0-9_]*$/;

function rule(message: string, rule: string): DomainError {
  return DomainError.validation(message, { rule });
}

/** The variables of one text, in order of appearance, checked for shape. */
export function variablesIn(text: string, where: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1];
    if (!POSITIONAL.test(inner) && !NAMED.test(inner)) {
      throw rule(
        `${where}: variable {{${inner}}} is not valid: use {{1}}, {{2}}, … or lower-case names such as {{first_name}}`,
        'variable_format',
      );
    }
    found.push(inner);
  }
  return found;
}

/** Positional variables must run 1…n without gaps (repeats allowed); named ones are unique names. */
function checkSequence(variables: string[], where: string): void {
  const numbers = [...new Set(variables.filter((v) => POSITIONAL.test(v)).map(Number))].sort((a, b) => a - b);
  numbers.forEach((n, i) => {
    if (n !== i + 1)
      throw rule(
        `${where}: positional variables must be {{1}} to {{${numbers.length}}} without gaps; {{${i + 1}}} is missing`,
        'variable_sequence',
      );
  });
}

function text(component: TemplateComponent, where: string): string {
  if (typeof component.text !== 'string' || component.text.length === 0) throw rule(`${where}: text is required`, 'text_required');
  return component.text;
}

/**
 * Checks a template against Meta's rules and normalises its spelling (upper-case category,
 * component types and formats). Each failure is a validation error naming the rule.
 */
export function validateTemplate(input: TemplateInput): ValidTemplate {
  if (typeof input.name !== 'string' || !/^[a-z0-9_]+$/.test(input.name) || input.name.length > LIMITS.name) {
    throw rule(`name must be lower-case letters, digits and underscores (at most ${LIMITS.name}), e.g. order_update`, 'name_format');
  }
  if (typeof input.language !== 'string' || !/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/.test(input.language)) {
    throw rule('language must be a Meta language code such as en, en_US or pt_BR', 'language_format');
  }
  const category = String(input.category ?? '').toUpperCase();
  if (!(CATEGORIES as readonly string[]).includes(category))
    throw rule('category must be MARKETING, UTILITY or AUTHENTICATION', 'category');
  if (!Array.isArray(input.components) || input.components.length === 0)
    throw rule('components must be a non-empty array with a BODY', 'components');

  const seen = new Set<string>();
  const variables: string[] = [];
  const components: TemplateComponent[] = input.components.map((raw: unknown, i: number) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw rule(`components[${i}] must be an object`, 'components');
    const component = { ...(raw as Record<string, unknown>) } as TemplateComponent;
    const type = String(component.type ?? '').toUpperCase();
    if (!(COMPONENT_TYPES as readonly string[]).includes(type))
      throw rule(`components[${i}].type must be HEADER, BODY, FOOTER or BUTTONS`, 'component_type');
    if (seen.has(type)) throw rule(`a template has at most one ${type} component`, 'component_type');
    seen.add(type);
    component.type = type;
    switch (type) {
      case 'HEADER': {
        const format = String(component.format ?? 'TEXT').toUpperCase();
        if (!(HEADER_FORMATS as readonly string[]).includes(format))
          throw rule('HEADER format must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION', 'header_format');
        component.format = format;
        if (format === 'TEXT') {
          const header = text(component, 'HEADER');
          if (header.length > LIMITS.header)
            throw rule(`HEADER text is ${header.length} characters; at most ${LIMITS.header}`, 'header_length');
          const own = variablesIn(header, 'HEADER');
          if (own.length > 1) throw rule('HEADER text may hold at most one variable', 'header_variables');
          checkSequence(own, 'HEADER');
          variables.push(...own);
        }
        break;
      }
      case 'BODY': {
        const body = text(component, 'BODY');
        if (body.length > LIMITS.body) throw rule(`BODY text is ${body.length} characters; at most ${LIMITS.body}`, 'body_length');
        const own = variablesIn(body, 'BODY');
        checkSequence(own, 'BODY');
        variables.push(...own);
        break;
      }
      case 'FOOTER': {
        const footer = text(component, 'FOOTER');
        if (footer.length > LIMITS.footer)
          throw rule(`FOOTER text is ${footer.length} characters; at most ${LIMITS.footer}`, 'footer_length');
        if (variablesIn(footer, 'FOOTER').length > 0) throw rule('FOOTER text cannot hold variables', 'footer_variables');
        break;
      }
      case 'BUTTONS': {
        const buttons = component.buttons;
        if (!Array.isArray(buttons) || buttons.length === 0) throw rule('BUTTONS needs a non-empty buttons array', 'buttons');
        if (buttons.length > LIMITS.buttons)
          throw rule(`a template has at most ${LIMITS.buttons} buttons; this one has ${buttons.length}`, 'buttons_count');
        component.buttons = buttons.map((b: unknown, j: number) => {
          if (!b || typeof b !== 'object') throw rule(`buttons[${j}] must be an object`, 'buttons');
          const button = { ...(b as Record<string, unknown>) };
          button.type = String(button.type ?? '').toUpperCase();
          if (!button.type) throw rule(`buttons[${j}].type is required`, 'buttons');
          if (typeof button.text === 'string' && button.text.length > LIMITS.buttonText) {
            throw rule(`buttons[${j}].text is ${button.text.length} characters; at most ${LIMITS.buttonText}`, 'button_text_length');
          }
          if (button.type === 'URL' && typeof button.url === 'string' && variablesIn(button.url, `buttons[${j}].url`).length > 1) {
            throw rule(`buttons[${j}].url may hold at most one variable`, 'button_variables');
          }
          return button;
        });
        break;
      }
    }
    return component;
  });
  if (!seen.has('BODY')) throw rule('a template needs a BODY component', 'body_required');

  const named = variables.some((v) => NAMED.test(v));
  const positional = variables.some((v) => POSITIONAL.test(v));
  if (named && positional)
    throw rule('variables are either all positional ({{1}}, {{2}}) or all named ({{first_name}}), not mixed', 'variable_mix');
  const declared = input.parameter_format?.toUpperCase();
  if (declared !== undefined && declared !== 'POSITIONAL' && declared !== 'NAMED')
    throw rule('parameter_format must be positional or named', 'parameter_format');
  const parameterFormat = named ? 'NAMED' : positional ? 'POSITIONAL' : ((declared as 'POSITIONAL' | 'NAMED' | undefined) ?? 'POSITIONAL');
  if (declared && variables.length > 0 && declared !== parameterFormat) {
    throw rule(`parameter_format is ${declared.toLowerCase()} but the variables are ${parameterFormat.toLowerCase()}`, 'parameter_format');
  }
  return { name: input.name, language: input.language, category: category as TemplateCategory, parameterFormat, components };
}
