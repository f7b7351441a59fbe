/** A template as WhatsApp shows it: header, body with its variables marked, footer, buttons. */

export interface TemplateLike {
  name: string;
  language: string;
  category: string;
  parameter_format: 'positional' | 'named';
  components: Array<Record<string, unknown>>;
}

/** Rendered components as the server sends them to WhatsApp (the dry run's samples, a test send). */
export type RenderedComponent = Record<string, unknown>;

export interface Segment {
  text: string;
  /** Set on a variable's place: its key in the broadcast's `variables`. */
  variable?: string;
  /** True when `text` is the value rendered for a contact (not the placeholder). */
  rendered?: boolean;
}

export type MediaFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

export interface Bubble {
  header: { kind: 'text'; segments: Segment[] } | { kind: 'media'; format: MediaFormat; url: string | null } | null;
  body: Segment[];
  footer: string | null;
  buttons: Array<{ text: string; type: string }>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function component(t: TemplateLike, type: string): Record<string, unknown> | undefined {
  return t.components.find((c) => String(c.type).toUpperCase() === type);
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

const isMedia = (format: unknown): format is MediaFormat => format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT';

/** What a send must supply, under the API's keys: body variables by number or name, "header.1" (named: its name), "button.<n>". */
export function templateVariables(t: TemplateLike): { keys: string[]; media: MediaFormat | null } {
  const keys: string[] = [];
  const header = component(t, 'HEADER');
  let media: MediaFormat | null = null;
  if (header && isMedia(header.format)) media = header.format;
  else if (header && typeof header.text === 'string')
    for (const p of placeholders(header.text)) keys.push(t.parameter_format === 'named' ? p : `header.${p}`);
  const body = component(t, 'BODY');
  if (body && typeof body.text === 'string') for (const p of placeholders(body.text)) if (!keys.includes(p)) keys.push(p);
  buttonsOf(t).forEach((b, i) => {
    if ((b.type === 'URL' && typeof b.url === 'string' && placeholders(b.url).length) || b.type === 'COPY_CODE') keys.push(`button.${i}`);
  });
  return { keys, media };
}

function buttonsOf(t: TemplateLike): Array<Record<string, unknown>> {
  const buttons = component(t, 'BUTTONS')?.buttons;
  return Array.isArray(buttons) ? (buttons as Array<Record<string, unknown>>) : [];
}

function renderedOf(rendered: RenderedComponent[] | undefined, type: string): Array<Record<string, unknown>> | null {
  const c = rendered?.find((r) => r.type === type);
  return c && Array.isArray(c.parameters) ? (c.parameters as Array<Record<string, unknown>>) : null;
}

/** Splits `text` at its placeholders; with rendered parameters, each place shows the contact's value. */
export function segmentsOf(
  text: string,
  keyOf: (placeholder: string) => string,
  params: Array<Record<string, unknown>> | null,
  named: boolean,
): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  let index = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index! > last) segments.push({ text: text.slice(last, m.index) });
    const param = params ? (named ? params.find((p) => p.parameter_name === m[1]) : params[index]) : undefined;
    segments.push(
      param && typeof param.text === 'string'
        ? { text: param.text, variable: keyOf(m[1]), rendered: true }
        : { text: m[0], variable: keyOf(m[1]) },
    );
    last = m.index! + m[0].length;
    index++;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

function mediaLink(params: Array<Record<string, unknown>> | null): string | null {
  const p = params?.[0];
  if (!p) return null;
  const media = p[String(p.type)] as { link?: unknown } | undefined;
  return typeof media?.link === 'string' ? media.link : null;
}

/** The bubble for `t`, with placeholders, or with a contact's values when given the server's rendered components. */
export function bubbleOf(t: TemplateLike, rendered?: RenderedComponent[]): Bubble {
  const named = t.parameter_format === 'named';
  const header = component(t, 'HEADER');
  const body = component(t, 'BODY');
  const footer = component(t, 'FOOTER');
  let headerView: Bubble['header'] = null;
  if (header && isMedia(header.format))
    headerView = { kind: 'media', format: header.format, url: mediaLink(renderedOf(rendered, 'header')) };
  else if (header && typeof header.text === 'string')
    headerView = {
      kind: 'text',
      segments: segmentsOf(header.text, (p) => (named ? p : `header.${p}`), renderedOf(rendered, 'header'), named),
    };
  return {
    header: headerView,
    body: typeof body?.text === 'string' ? segmentsOf(body.text, (p) => p, renderedOf(rendered, 'body'), named) : [],
    footer: typeof footer?.text === 'string' ? footer.text : null,
    buttons: buttonsOf(t).map((b) => ({ text: String(b.text ?? ''), type: String(b.type ?? '') })),
  };
}

/** The bubble's text as a reader gets it (the sandbox's copy of a sent message is compared with this). */
export function bubbleText(b: Bubble): string {
  return b.body.map((s) => s.text).join('');
}
