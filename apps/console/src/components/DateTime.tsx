import { formatDateTime, viewerTimeZone } from '../lib/time';

/** A time in the viewer's zone, with the instant in a machine-readable attribute. */
export function DateTime({ value, seconds = false }: { value: string | null | undefined; seconds?: boolean }) {
  if (!value) return <>—</>;
  return <time dateTime={value}>{formatDateTime(value, viewerTimeZone(), seconds)}</time>;
}
