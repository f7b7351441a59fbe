import { describeVariables } from '../rules/template-variables';

/**
 * The mapping keys a send of a template needs filled, read from its components with the same
 * reader the template rules use (rules/template-variables):
 * - body: the variable's number or name (`"1"`, `"first_name"`); positional ones in number
 *   order, which is the order Meta reads the body's parameters in, whatever order the text
 *   uses them in;
 * - header text: `"header.1"` (positional) or the variable's name (named templates);
 * - header media (IMAGE/VIDEO/DOCUMENT): a link per message, from the broadcast's headerMediaUrl;
 * - URL button with a variable, or copy-code button, n-th (0-based) among BUTTONS: `"button.<n>"`.
 */
export interface TemplateVariables {
  parameterFormat: 'POSITIONAL' | 'NAMED';
  body: string[];
  header: { kind: 'none' } | { kind: 'text'; variables: string[] } | { kind: 'media'; format: 'image' | 'video' | 'document' };
  /** Buttons that need a value: their index among the template's buttons and what they take. */
  buttons: Array<{ index: number; subType: 'url' | 'copy_code' }>;
}

export function templateVariables(
  components: Array<Record<string, unknown>>,
  parameterFormat: 'POSITIONAL' | 'NAMED' = 'POSITIONAL',
): TemplateVariables {
  const spec = describeVariables(parameterFormat, components ?? []);
  const body = parameterFormat === 'NAMED' ? spec.bodyNames : Array.from({ length: spec.bodyCount }, (_, i) => String(i + 1));
  let header: TemplateVariables['header'] = { kind: 'none' };
  if (spec.header?.needsMedia) header = { kind: 'media', format: spec.header.format.toLowerCase() as 'image' | 'video' | 'document' };
  else if (spec.header?.variable) header = { kind: 'text', variables: [spec.header.variable] };
  const buttons: TemplateVariables['buttons'] = [];
  for (const b of spec.buttons) if (b.subType === 'url' || b.subType === 'copy_code') buttons.push({ index: b.index, subType: b.subType });
  return { parameterFormat, body, header, buttons };
}

/** The mapping key of a header text variable (see TemplateVariables). */
export function headerKey(vars: TemplateVariables, variable: string): string {
  return vars.parameterFormat === 'NAMED' ? variable : `header.${variable}`;
}

/** Every mapping key the template needs filled. */
export function requiredKeys(vars: TemplateVariables): string[] {
  const keys = [...vars.body];
  if (vars.header.kind === 'text') for (const v of vars.header.variables) keys.push(headerKey(vars, v));
  for (const b of vars.buttons) keys.push(`button.${b.index}`);
  return keys;
}
