/** A contact as seen by template variables. */
export interface RenderContact {
  phone: string;
  name: string | null;
  country?: string | null;
  attributes: Record<string, string>;
}

type Part = { literal: string } | { field: string; fallback: string | null };

/** A compiled `"Hi {{name|there}}, see {{city}}"`: literal text and `{{field|fallback}}` slots. */
export class VariableExpression {
  private constructor(
    readonly source: string,
    private readonly parts: Part[],
  ) {}

  static compile(source: string): VariableExpression {
    const parts: Part[] = [];
    const re = /\{\{\s*([^{}|]+?)\s*(?:\|([^{}]*))?\}\}/g;
    let last = 0;
    for (const m of source.matchAll(re)) {
      if (m.index! > last) parts.push({ literal: source.slice(last, m.index) });
      parts.push({ field: m[1], fallback: m[2] === undefined ? null : m[2] });
      last = m.index! + m[0].length;
    }
    if (last < source.length) parts.push({ literal: source.slice(last) });
    return new VariableExpression(source, parts);
  }

  /** Fields this expression reads. */
  get fields(): string[] {
    return this.parts.flatMap((p) => ('field' in p ? [p.field] : []));
  }

  /** The text for one contact, or the first field that is empty and has no fallback. */
  render(contact: RenderContact): { text: string } | { missing: string } {
    let out = '';
    for (const p of this.parts) {
      if ('literal' in p) {
        out += p.literal;
        continue;
      }
      const value = fieldValue(contact, p.field);
      if (value !== undefined && value !== '') out += value;
      else if (p.fallback !== null) out += p.fallback;
      else return { missing: p.field };
    }
    return { text: out };
  }
}

/** `name`, `phone` and `country` are the contact's own; anything else is an attribute (exact name first, then any case). */
export function fieldValue(contact: RenderContact, field: string): string | undefined {
  if (field === 'name') return contact.name ?? undefined;
  if (field === 'phone') return contact.phone;
  if (field === 'country') return contact.country ?? undefined;
  const attrs = contact.attributes ?? {};
  if (field in attrs) return attrs[field] == null ? undefined : String(attrs[field]);
  const lower = field.toLowerCase();
  for (const key of Object.keys(attrs)) if (key.toLowerCase() === lower) return attrs[key] == null ? undefined : String(attrs[key]);
  return undefined;
}
