import type { TemplateComponentParameters, TemplateParameter } from '@clarion/whatsapp';
import { mediaUrlProblem } from './media-url';
import { headerKey, requiredKeys, templateVariables, TemplateVariables } from './template-variables';
import { RenderContact, VariableExpression } from './variable-expression';

/** Why a recipient cannot be rendered (machine code in `skip_reason`). */
export type RenderSkipReason = 'missing_variable' | 'invalid_parameter' | 'invalid_media_url';

export type RenderResult =
  { ok: true; components: TemplateComponentParameters[] } | { ok: false; reason: RenderSkipReason; message: string };

/** A problem with the mapping itself (not with one contact): the broadcast cannot be created. */
export class MappingError extends Error {}

export interface RenderableTemplate {
  components: Array<Record<string, unknown>>;
  parameterFormat: 'POSITIONAL' | 'NAMED';
}

// Meta refuses text parameters with these (error 132018 "Param text cannot have new-line/tab
// characters or more than 4 consecutive spaces"); Clarion skips such recipients instead.
const REFUSED_TEXT = /[\n\r\t]| {5,}/;

interface Slot {
  key: string;
  name: string;
  expr: VariableExpression;
}

/**
 * Renders one template for many contacts: compiled once per broadcast from the variable mapping
 * (`{ "1": "{{name|there}}" }`) and the media header URL, then `render(contact)` per recipient.
 */
export class MessageRenderer {
  private constructor(
    private readonly vars: TemplateVariables,
    private readonly body: Slot[],
    private readonly header: Slot[],
    private readonly media: VariableExpression | null,
    private readonly buttons: Array<{ index: number; subType: 'url' | 'copy_code'; expr: VariableExpression }>,
  ) {}

  /**
   * Throws MappingError naming the problem when the mapping does not fit the template:
   * a variable left unmapped, a key the template does not have, a media header without URL.
   */
  static compile(
    template: RenderableTemplate,
    mapping: Record<string, string> | null | undefined,
    headerMediaUrl?: string | null,
  ): MessageRenderer {
    let vars: TemplateVariables;
    try {
      vars = templateVariables(template.components, template.parameterFormat);
    } catch (error) {
      throw new MappingError(`template: ${(error as Error).message}`);
    }
    const map = mapping ?? {};
    const needed = requiredKeys(vars);
    const missing = needed.filter((k) => typeof map[k] !== 'string');
    if (missing.length)
      throw new MappingError(
        `variables: no value for template variable(s) ${missing.map((k) => `"${k}"`).join(', ')} (map each to text such as "{{name|there}}")`,
      );
    const unknown = Object.keys(map).filter((k) => !needed.includes(k));
    if (unknown.length)
      throw new MappingError(
        `variables: the template has no variable(s) ${unknown.map((k) => `"${k}"`).join(', ')}; it expects ${needed.length ? needed.map((k) => `"${k}"`).join(', ') : 'none'}`,
      );
    if (vars.header.kind === 'media' && !headerMediaUrl)
      throw new MappingError(`headerMediaUrl: the template has a ${vars.header.format} header; give its URL`);
    if (vars.header.kind !== 'media' && headerMediaUrl) throw new MappingError('headerMediaUrl: the template has no media header');
    const media = headerMediaUrl ? VariableExpression.compile(headerMediaUrl) : null;
    if (media && vars.header.kind === 'media' && media.fields.length === 0) {
      // A fixed URL is the same for everyone: refuse the mapping rather than skip every recipient.
      const problem = mediaUrlProblem(vars.header.format, headerMediaUrl!);
      if (problem) throw new MappingError(`headerMediaUrl: ${problem}`);
    }
    const slot = (key: string, name: string): Slot => ({ key, name, expr: VariableExpression.compile(map[key]) });
    return new MessageRenderer(
      vars,
      vars.body.map((v) => slot(v, v)),
      vars.header.kind === 'text' ? vars.header.variables.map((v) => slot(headerKey(vars, v), v)) : [],
      media,
      vars.buttons.map(({ index, subType }) => ({ index, subType, expr: VariableExpression.compile(map[`button.${index}`]) })),
    );
  }

  /** The components of one contact's message, or why it must be skipped. */
  render(contact: RenderContact): RenderResult {
    const components: TemplateComponentParameters[] = [];
    if (this.header.length) {
      const parameters = this.textParameters(this.header, contact);
      if (!Array.isArray(parameters)) return parameters;
      components.push({ type: 'header', parameters });
    } else if (this.media && this.vars.header.kind === 'media') {
      const url = this.media.render(contact);
      if ('missing' in url)
        return {
          ok: false,
          reason: 'missing_variable',
          message: `header media URL: contact has no "${url.missing}" and the variable has no fallback`,
        };
      const format = this.vars.header.format;
      const problem = mediaUrlProblem(format, url.text);
      if (problem) return { ok: false, reason: 'invalid_media_url', message: problem };
      const parameter = { type: format, [format]: { link: url.text.trim() } } as TemplateParameter;
      components.push({ type: 'header', parameters: [parameter] });
    }
    if (this.body.length) {
      const parameters = this.textParameters(this.body, contact);
      if (!Array.isArray(parameters)) return parameters;
      components.push({ type: 'body', parameters });
    }
    for (const b of this.buttons) {
      const value = b.expr.render(contact);
      if ('missing' in value)
        return {
          ok: false,
          reason: 'missing_variable',
          message: `button ${b.index}: contact has no "${value.missing}" and the variable has no fallback`,
        };
      const parameter: TemplateParameter =
        b.subType === 'copy_code' ? { type: 'coupon_code', coupon_code: value.text } : { type: 'text', text: value.text };
      components.push({ type: 'button', sub_type: b.subType, index: String(b.index), parameters: [parameter] });
    }
    return { ok: true, components };
  }

  private textParameters(slots: Slot[], contact: RenderContact): TemplateParameter[] | Extract<RenderResult, { ok: false }> {
    const named = this.vars.parameterFormat === 'NAMED';
    const out: TemplateParameter[] = [];
    for (const s of slots) {
      const value = s.expr.render(contact);
      if ('missing' in value)
        return {
          ok: false,
          reason: 'missing_variable',
          message: `variable "${s.key}": contact has no "${value.missing}" and no fallback was given`,
        };
      if (value.text.trim() === '')
        return { ok: false, reason: 'missing_variable', message: `variable "${s.key}" renders empty text, which WhatsApp refuses` };
      if (REFUSED_TEXT.test(value.text))
        return {
          ok: false,
          reason: 'invalid_parameter',
          message: `variable "${s.key}" contains a newline, a tab or more than 4 spaces in a row, which WhatsApp refuses`,
        };
      out.push(named ? { type: 'text', text: value.text, parameter_name: s.name } : { type: 'text', text: value.text });
    }
    return out;
  }
}
