import { broadcastSummaryViewStatusValues, pathsV1BroadcastsGetParametersQuerySortValues } from '../../api/schema';
import type { BroadcastStatus } from '../../api/types';
import { addDays, startOfDayIn } from '../../lib/time';

/** Every filter of the history lives in the URL, so that a link shares the view and a reload keeps it. */

/** The API's own lists (generated from its OpenAPI document), so the console offers what the API takes. */
export const BROADCAST_STATUSES: readonly BroadcastStatus[] = broadcastSummaryViewStatusValues;
export const HISTORY_SORTS = pathsV1BroadcastsGetParametersQuerySortValues;
export type HistorySort = (typeof HISTORY_SORTS)[number];

export interface HistoryFilters {
  search: string;
  status: BroadcastStatus[];
  senderId: number | null;
  template: string;
  /** Dates (YYYY-MM-DD) in the viewer's time zone, both included. */
  from: string | null;
  to: string | null;
  sort: HistorySort;
  order: 'asc' | 'desc';
}

export const DEFAULT_HISTORY_FILTERS: HistoryFilters = {
  search: '',
  status: [],
  senderId: null,
  template: '',
  from: null,
  to: null,
  sort: 'createdAt',
  order: 'desc',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** URL → filters; anything unknown or malformed falls back to the default. */
export function parseHistoryFilters(params: URLSearchParams): HistoryFilters {
  const status = (params.get('status') ?? '')
    .split(',')
    .filter((s): s is BroadcastStatus => (BROADCAST_STATUSES as readonly string[]).includes(s));
  const senderId = Number(params.get('sender'));
  const sort = params.get('sort') as HistorySort | null;
  const from = params.get('from');
  const to = params.get('to');
  return {
    search: params.get('q') ?? '',
    status: [...new Set(status)],
    senderId: Number.isInteger(senderId) && senderId > 0 ? senderId : null,
    template: params.get('template') ?? '',
    from: from && DATE.test(from) ? from : null,
    to: to && DATE.test(to) ? to : null,
    sort: sort && (HISTORY_SORTS as readonly string[]).includes(sort) ? sort : 'createdAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

/** Filters → URL, leaving out what is at its default so links stay short. */
export function historySearchParams(f: HistoryFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.search) p.set('q', f.search);
  if (f.status.length) p.set('status', f.status.join(','));
  if (f.senderId !== null) p.set('sender', String(f.senderId));
  if (f.template) p.set('template', f.template);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.sort !== DEFAULT_HISTORY_FILTERS.sort) p.set('sort', f.sort);
  if (f.order !== DEFAULT_HISTORY_FILTERS.order) p.set('order', f.order);
  return p;
}

export interface HistoryApiQuery {
  search?: string;
  status?: string[];
  senderId?: number;
  template?: string;
  from?: string;
  to?: string;
  sort: HistorySort;
  order: 'asc' | 'desc';
}

/** Filters → the API's query: dates become instants, from the start of `from` to the end of `to` in `zone`. */
export function historyApiQuery(f: HistoryFilters, zone: string): HistoryApiQuery {
  return {
    ...(f.search ? { search: f.search } : {}),
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.senderId !== null ? { senderId: f.senderId } : {}),
    ...(f.template ? { template: f.template } : {}),
    ...(f.from ? { from: startOfDayIn(f.from, zone).toISOString() } : {}),
    ...(f.to ? { to: startOfDayIn(addDays(f.to, 1), zone).toISOString() } : {}),
    sort: f.sort,
    order: f.order,
  };
}
