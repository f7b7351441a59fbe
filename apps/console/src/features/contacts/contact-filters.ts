import { pathsV1ContactsGetParametersQuerySortValues } from '../../api/schema';
import { toQueryString } from '../../lib/url';

/** The contacts view lives in the URL (search, filters, sort), so a link shares it and a reload keeps it. */

export const CONTACT_SORTS = pathsV1ContactsGetParametersQuerySortValues;
export type ContactSort = (typeof CONTACT_SORTS)[number];

export interface ContactFilters {
  search: string;
  listId: number | null;
  tag: string;
  /** One attribute's exact value. */
  attributeKey: string;
  attributeValue: string;
  optedOut: boolean | null;
  sort: ContactSort;
}

export const DEFAULT_CONTACT_FILTERS: ContactFilters = {
  search: '',
  listId: null,
  tag: '',
  attributeKey: '',
  attributeValue: '',
  optedOut: null,
  sort: '-id',
};

/** URL → filters; anything unknown falls back to the default. */
export function parseContactFilters(params: URLSearchParams): ContactFilters {
  const listId = Number(params.get('list'));
  const sort = params.get('sort') as ContactSort | null;
  const attr = params.get('attr') ?? '';
  const eq = attr.indexOf('=');
  const optedOut = params.get('optedOut');
  return {
    search: params.get('q') ?? '',
    listId: Number.isInteger(listId) && listId > 0 ? listId : null,
    tag: params.get('tag') ?? '',
    attributeKey: eq > 0 ? attr.slice(0, eq) : '',
    attributeValue: eq > 0 ? attr.slice(eq + 1) : '',
    optedOut: optedOut === 'true' ? true : optedOut === 'false' ? false : null,
    sort: sort && (CONTACT_SORTS as readonly string[]).includes(sort) ? sort : DEFAULT_CONTACT_FILTERS.sort,
  };
}

/** Filters → URL, leaving defaults out. */
export function contactSearchParams(f: ContactFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.search) p.set('q', f.search);
  if (f.listId !== null) p.set('list', String(f.listId));
  if (f.tag) p.set('tag', f.tag);
  if (f.attributeKey) p.set('attr', `${f.attributeKey}=${f.attributeValue}`);
  if (f.optedOut !== null) p.set('optedOut', String(f.optedOut));
  if (f.sort !== DEFAULT_CONTACT_FILTERS.sort) p.set('sort', f.sort);
  return p;
}

/** The filter as POST /v1/contacts/bulk and /attributes take it (and GET /v1/contacts, but for its names). */
export interface ContactFilterBody {
  search?: string;
  listId?: number;
  tags?: string[];
  attribute?: Record<string, string>;
  optedOut?: boolean;
}

export function contactFilterBody(f: ContactFilters): ContactFilterBody {
  return {
    ...(f.search ? { search: f.search } : {}),
    ...(f.listId !== null ? { listId: f.listId } : {}),
    ...(f.tag ? { tags: [f.tag] } : {}),
    ...(f.attributeKey ? { attribute: { [f.attributeKey]: f.attributeValue } } : {}),
    ...(f.optedOut !== null ? { optedOut: f.optedOut } : {}),
  };
}

/** The query of GET /v1/contacts and its export (`tag`, `attribute[key]` in the query's spelling). */
export function contactListQuery(f: ContactFilters) {
  const { tags, ...rest } = contactFilterBody(f);
  return { ...rest, ...(tags ? { tag: tags } : {}), sort: f.sort };
}

/** GET /v1/contacts/export.csv with the same filters (a plain link: the browser downloads it). */
export function contactsExportUrl(f: ContactFilters): string {
  const { attribute, tags, optedOut, ...rest } = contactFilterBody(f);
  const attributes = Object.fromEntries(Object.entries(attribute ?? {}).map(([k, v]) => [`attribute[${k}]`, v]));
  return `/v1/contacts/export.csv${toQueryString({ ...rest, tag: tags, optedOut: optedOut === undefined ? undefined : String(optedOut), ...attributes })}`;
}
