import { pathsV1BroadcastsIdRecipientsGetParametersQueryStatusValues } from '../../api/schema';
import type { Bucket } from '../../lib/timeline';
import { toQueryString } from '../../lib/url';

/** The broadcast page's own choices live in its URL: `?status=failed&bucket=hour`, so a link shares the view. */

/** The recipient statuses the API filters by (from its OpenAPI document). */
export const RECIPIENT_FILTERS = pathsV1BroadcastsIdRecipientsGetParametersQueryStatusValues;
export type RecipientFilter = (typeof RECIPIENT_FILTERS)[number];

export interface BroadcastViewState {
  /** Recipients shown (and exported): null for all. */
  status: RecipientFilter | null;
  /** The chart's bucket; null lets the page choose from the campaign's length. */
  bucket: Bucket | null;
}

export function parseBroadcastView(params: URLSearchParams): BroadcastViewState {
  const status = params.get('status');
  const bucket = params.get('bucket');
  return {
    status: status && (RECIPIENT_FILTERS as readonly string[]).includes(status) ? (status as RecipientFilter) : null,
    bucket: bucket === 'minute' || bucket === 'hour' ? bucket : null,
  };
}

/** The state written into `params`, keeping anything else there; defaults are left out. */
export function broadcastViewParams(state: BroadcastViewState, params: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const p = new URLSearchParams(params);
  if (state.status) p.set('status', state.status);
  else p.delete('status');
  if (state.bucket) p.set('bucket', state.bucket);
  else p.delete('bucket');
  return p;
}

/** Where the export of exactly the rows shown downloads from. */
export function recipientsExportUrl(broadcastId: number, format: 'csv' | 'xlsx', status: RecipientFilter | null): string {
  return `/v1/broadcasts/${broadcastId}/recipients.${format}${toQueryString({ status })}`;
}
