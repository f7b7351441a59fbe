/**
 * Which variables a template needs, read from its components in Meta's format:
 * HEADER text (one variable at most), HEADER media (IMAGE/VIDEO/DOCUMENT: a link per message),
 * BODY text, and dynamic URL buttons (`https://x.com/{{1}}`).
 *
 * Mapping keys a broadcast uses for them:
 * - body: the variable's number or name (`"1"`, `"first_name"`);
 * - header text: `"header.1"` (positional) or the variable's name (named templates);
 * - URL button n (0-based position among BUTTONS): `"button.<n>"`.
 */
export interface TemplateVariables {
  parameterFormat: 'POSITIONAL' | 'NAMED';
  body: string[];
  header: { kind: 'none' } | { kind: 'text'; variables: string[] } | { kind: 'media'; format: 'image' | 'video' | 'document' };
  /** Dynamic URL buttons: their index among the template's buttons. */
  urlButtons: number[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function placeholders(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const seen: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (!seen.includes(m[1])) seen.push(m[1]);
  return seen;
}

/** The variables of a template, in order of appearance. */
export function templateVariables(
  components: Array<Record<string, unknown>>,
  parameterFormat: 'POSITIONAL' | 'NAMED' = 'POSITIONAL',
): TemplateVariables {
  const result: TemplateVariables = { parameterFormat, body: [], header: { kind: 'none' }, urlButtons: [] };
  for (const c of components ?? []) {
    const type = String(c.type ?? '').toUpperCase();
    if (type === 'BODY') {
      result.body = placeholders(c.text);
    } else if (type === 'HEADER') {
      const format = String(c.format ?? 'TEXT').toUpperCase();
      if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT')
        result.header = { kind: 'media', format: format.toLowerCase() as 'image' | 'video' | 'document' };
      else if (format === 'TEXT') {
        const vars = placeholders(c.text);
        if (vars.length > 0) result.header = { kind: 'text', variables: vars };
      }
    } else if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
      (c.buttons as Array<Record<string, unknown>>).forEach((b, index) => {
        if (String(b.type ?? '').toUpperCase() === 'URL' && placeholders(b.url).length > 0) result.urlButtons.push(index);
      });
    }
  }
  return result;
}

/** The mapping key of a header text variable (see TemplateVariables). */
export function headerKey(vars: TemplateVariables, variable: string): string {
  return vars.parameterFormat === 'NAMED' ? variable : `header.${variable}`;
}

/** Every mapping key the template needs filled. */
export function requiredKeys(vars: TemplateVariables): string[] {
  const keys = [...vars.body];
  if (vars.header.kind === 'text') for (const v of vars.header.variables) keys.push(headerKey(vars, v));
  for (const i of vars.urlButtons) keys.push(`button.${i}`);
  return keys;
}
