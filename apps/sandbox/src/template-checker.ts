import type { TemplateMessageRequest } from '@clarion/whatsapp';
import type { SandboxTemplate } from './sandbox-config';

export interface TemplateProblem {
  code: 132000 | 132001 | 132015 | 132016;
  details: string;
}

const VARIABLE = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/**
 * Checks a template send against the registry the way Meta does: the name must exist in the
 * language (132001), be sendable (132015 paused, 132016 disabled) and get as many parameters per
 * component as it has variables (132000; for named templates, the same parameter names).
 */
export function checkTemplate(registry: SandboxTemplate[], request: TemplateMessageRequest): TemplateProblem | undefined {
  const { name, language, components = [] } = request.template;
  const template = registry.find((t) => t.name === name && t.language === language.code);
  if (!template) return { code: 132001, details: `template name (${name}) does not exist in ${language.code}` };
  if (template.status === 'PAUSED') return { code: 132015, details: `template ${name} is paused` };
  if (template.status === 'DISABLED') return { code: 132016, details: `template ${name} is disabled` };
  if (template.status && template.status !== 'APPROVED')
    return { code: 132001, details: `template name (${name}) does not exist in ${language.code}` };

  for (const part of ['header', 'body'] as const) {
    const definition = template.components.find((c) => c.type.toLowerCase() === part);
    const expected = expectedVariables(definition);
    const given = components.find((c) => c.type === part)?.parameters ?? [];
    if (given.length !== expected.length) {
      return {
        code: 132000,
        details: `${part}: number of localizable_params (${given.length}) does not match the expected number of params (${expected.length})`,
      };
    }
    if (template.parameter_format === 'NAMED' && definition?.text) {
      const names = given.map((p) => ('parameter_name' in p ? p.parameter_name : undefined));
      const missing = expected.find((n) => !names.includes(n));
      if (missing) return { code: 132000, details: `${part}: parameter_name ${missing} is missing` };
    }
  }
  return undefined;
}

function expectedVariables(component: SandboxTemplate['components'][number] | undefined): string[] {
  if (!component) return [];
  if (component.format && component.format !== 'TEXT') return ['media'];
  return [...(component.text ?? '').matchAll(VARIABLE)].map((m) => m[1]);
}
