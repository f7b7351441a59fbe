import { variablesIn } from './template-rules';

export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';

/** What a send of this template must supply, read from its components. */
export interface TemplateVariableSpec {
  parameterFormat: 'POSITIONAL' | 'NAMED';
  /** Positional: how many body parameters ({{1}}…{{n}}); 0 for named templates. */
  bodyCount: number;
  /** Named: the body's parameter names in order of first appearance; [] for positional. */
  bodyNames: string[];
  header: null | {
    format: HeaderFormat;
    /** TEXT header: its variable ("1" or a name), if any. */ variable?: string;
    /** Media headers need a link per send. */ needsMedia: boolean;
  };
  /**
   * Buttons that take a parameter at send time: URL buttons with a variable and copy-code
   * (required), quick replies (optional payload) and flows (optional token).
   */
  buttons: Array<{ index: number; type: string; subType: 'url' | 'quick_reply' | 'copy_code' | 'flow'; required: boolean }>;
}

const MEDIA: HeaderFormat[] = ['IMAGE', 'VIDEO', 'DOCUMENT'];

/** Reads the variables of a stored (already validated) template, for renderers and senders. */
export function describeVariables(
  parameterFormat: 'POSITIONAL' | 'NAMED',
  components: Array<Record<string, unknown>>,
): TemplateVariableSpec {
  const result: TemplateVariableSpec = { parameterFormat, bodyCount: 0, bodyNames: [], header: null, buttons: [] };
  for (const component of components) {
    const type = String(component.type).toUpperCase();
    if (type === 'BODY' && typeof component.text === 'string') {
      const vars = variablesIn(component.text, 'BODY');
      if (parameterFormat === 'NAMED') result.bodyNames = [...new Set(vars)];
      else result.bodyCount = vars.reduce((max, v) => Math.max(max, Number(v)), 0);
    } else if (type === 'HEADER') {
      const format = String(component.format ?? 'TEXT').toUpperCase() as HeaderFormat;
      const variable = format === 'TEXT' && typeof component.text === 'string' ? variablesIn(component.text, 'HEADER')[0] : undefined;
      result.header = { format, needsMedia: MEDIA.includes(format), ...(variable ? { variable } : {}) };
    } else if (type === 'BUTTONS' && Array.isArray(component.buttons)) {
      component.buttons.forEach((button: Record<string, unknown>, index: number) => {
        const kind = String(button.type).toUpperCase();
        if (kind === 'URL' && typeof button.url === 'string' && variablesIn(button.url, 'URL').length > 0)
          result.buttons.push({ index, type: kind, subType: 'url', required: true });
        else if (kind === 'COPY_CODE') result.buttons.push({ index, type: kind, subType: 'copy_code', required: true });
        else if (kind === 'FLOW') result.buttons.push({ index, type: kind, subType: 'flow', required: false });
        else if (kind === 'QUICK_REPLY') result.buttons.push({ index, type: kind, subType: 'quick_reply', required: false });
      });
    }
  }
  return result;
}
