import { parseJsonColumn } from './json-column';

/** A contact as the API shows it. */
export interface ContactView {
  id: number;
  phone: string;
  name: string | null;
  country: string | null;
  attributes: Record<string, string>;
  optedOut: boolean;
  optedOutAt: Date | null;
  tags: string[];
  listIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactRow {
  id: number | string;
  phone: string;
  name: string | null;
  country: string | null;
  attributes: unknown;
  opted_out: number | boolean;
  opted_out_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** What every reader of a contact needs; the audience's fan-out reads only these. */
export const CONTACT_CORE_COLUMNS = 'c.id, c.phone, c.name, c.country, c.attributes, c.opted_out';
export const CONTACT_COLUMNS = `${CONTACT_CORE_COLUMNS}, c.opted_out_at, c.created_at, c.updated_at`;

export type ContactCoreRow = Pick<ContactRow, 'id' | 'phone' | 'name' | 'country' | 'attributes' | 'opted_out'>;
export type ContactCore = Pick<ContactView, 'id' | 'phone' | 'name' | 'country' | 'attributes' | 'optedOut'>;

export function toContactCore(r: ContactCoreRow): ContactCore {
  return {
    id: Number(r.id),
    phone: r.phone,
    name: r.name,
    country: r.country,
    attributes: parseJsonColumn(r.attributes) ?? {},
    optedOut: Boolean(Number(r.opted_out)),
  };
}

export function toContactView(r: ContactRow, tags: string[] = [], listIds: number[] = []): ContactView {
  return {
    ...toContactCore(r),
    optedOutAt: r.opted_out_at,
    tags,
    listIds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
