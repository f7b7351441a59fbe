import { zonedParts } from '../../lib/time';

/** Who the broadcast goes to, as the form holds it (texts as typed; numbers parsed on the way out). */
export type AudienceChoice =
  | { kind: 'list'; listId: string }
  | { kind: 'import'; importId: string }
  | { kind: 'tags'; tags: string }
  | { kind: 'contacts'; entries: string }
  | { kind: 'broadcast'; broadcastId: string; statuses: string[] };

export type ScheduleMode = 'now' | 'at' | 'recipient_local';

export interface ScheduleChoice {
  mode: ScheduleMode;
  /** YYYY-MM-DD and HH:MM, on the wall clock of `zone`. */
  date: string;
  time: string;
  zone: string;
  localTimePassed: 'now' | 'next_day';
  quietHours: { from: string; to: string } | null;
}

export interface ComposeForm {
  name: string;
  senderId: number | null;
  template: { name: string; language: string } | null;
  audience: AudienceChoice;
  variables: Record<string, string>;
  headerMediaUrl: string;
  schedule: ScheduleChoice;
}

/** The API's audience: `{ listId }`, `{ importId }`, `{ tags }`, `{ contactIds }` or `{ broadcastId, statuses }`. */
export type AudienceRequest =
  { listId: number } | { importId: number } | { tags: string[] } | { contactIds: number[] } | { broadcastId: number; statuses: string[] };

export interface BroadcastRequest {
  name: string;
  senderId: number;
  template: { name: string; language: string };
  audience: AudienceRequest;
  variables: Record<string, string>;
  headerMediaUrl?: string;
  scheduledAt?: string;
  sendAt?: 'immediate' | 'recipient_local';
  localTimePassed?: 'now' | 'next_day';
  timezone?: string;
  quietHours?: { from: string; to: string };
}

const positiveInt = (text: string): number | null => (/^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : null);

/** Contact ids and phones typed one a line (or comma-separated): ids are digits only, phones start with + or hold spaces/dashes. */
export function splitContactEntries(entries: string): { ids: number[]; phones: string[] } {
  const ids: number[] = [];
  const phones: string[] = [];
  for (const raw of entries.split(/[\n,;]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    if (/^\d{1,12}$/.test(entry)) ids.push(Number(entry));
    else phones.push(entry);
  }
  return { ids, phones };
}

/**
 * The audience the API takes, or null while the choice is incomplete. `phoneIds` are the
 * contacts the server found for typed phones (the composer asks it; nothing is counted here).
 */
export function audienceRequest(choice: AudienceChoice, phoneIds: number[] = []): AudienceRequest | null {
  switch (choice.kind) {
    case 'list': {
      const listId = positiveInt(choice.listId);
      return listId ? { listId } : null;
    }
    case 'import': {
      const importId = positiveInt(choice.importId);
      return importId ? { importId } : null;
    }
    case 'tags': {
      const tags = [
        ...new Set(
          choice.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ];
      return tags.length ? { tags } : null;
    }
    case 'contacts': {
      const contactIds = [...new Set([...splitContactEntries(choice.entries).ids, ...phoneIds])];
      return contactIds.length ? { contactIds } : null;
    }
    case 'broadcast': {
      const broadcastId = positiveInt(choice.broadcastId);
      return broadcastId && choice.statuses.length ? { broadcastId, statuses: choice.statuses } : null;
    }
  }
}

/** The form's audience from the API's (an edited broadcast) or from the URL (`?listId=`, `?importId=`). */
export function audienceChoiceOf(audience: Record<string, unknown> | URLSearchParams | null | undefined): AudienceChoice {
  const get = (key: string): unknown => (audience instanceof URLSearchParams ? audience.get(key) : audience?.[key]);
  if (get('listId')) return { kind: 'list', listId: String(get('listId')) };
  if (get('importId')) return { kind: 'import', importId: String(get('importId')) };
  const tags = get('tags');
  if (Array.isArray(tags)) return { kind: 'tags', tags: tags.join(', ') };
  const ids = get('contactIds');
  if (Array.isArray(ids)) return { kind: 'contacts', entries: ids.join('\n') };
  if (get('broadcastId')) {
    const statuses = get('statuses');
    return { kind: 'broadcast', broadcastId: String(get('broadcastId')), statuses: Array.isArray(statuses) ? statuses.map(String) : [] };
  }
  return { kind: 'list', listId: '' };
}

/**
 * The instant at which `zone`'s wall clock shows `date` `time`. DST-safe: the offset is read at
 * the instant itself (twice, for the hour that a change moves). A time skipped by a spring-forward
 * lands an hour later, as clocks do.
 */
export function instantInZone(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(guess), zone);
    guess -= Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - wanted;
  }
  return new Date(guess);
}

/** `at`'s wall clock in `zone`, as the form's date and time fields. */
export function wallClockIn(at: Date, zone: string): { date: string; time: string } {
  const p = zonedParts(at, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.year}-${two(p.month)}-${two(p.day)}`, time: `${two(p.hour)}:${two(p.minute)}` };
}

/** The schedule's fields of the request: nothing for "now"; scheduledAt (and the zone) otherwise. */
export function scheduleRequest(
  s: ScheduleChoice,
): Pick<BroadcastRequest, 'scheduledAt' | 'sendAt' | 'localTimePassed' | 'timezone' | 'quietHours'> {
  const quiet = s.quietHours && s.quietHours.from && s.quietHours.to ? { quietHours: s.quietHours } : {};
  if (s.mode === 'now') return { sendAt: 'immediate', ...quiet };
  const scheduledAt = instantInZone(s.date, s.time, s.zone).toISOString();
  if (s.mode === 'at') return { scheduledAt, sendAt: 'immediate', timezone: s.zone, ...quiet };
  return { scheduledAt, sendAt: 'recipient_local', localTimePassed: s.localTimePassed, timezone: s.zone, ...quiet };
}

/** Variables the template needs only: a variable of a template picked earlier is dropped; blank ones are sent as blank (the API names them). */
export function variablesRequest(variables: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, variables[k] ?? '']));
}

/** The request the form stands for, or null while it misses a sender, a template or an audience. */
export function broadcastRequest(
  form: ComposeForm,
  variableKeys: string[],
  needsMedia: boolean,
  phoneIds: number[] = [],
): BroadcastRequest | null {
  const audience = audienceRequest(form.audience, phoneIds);
  if (!form.senderId || !form.template || !audience) return null;
  return {
    name: form.name.trim() || 'Untitled broadcast',
    senderId: form.senderId,
    template: form.template,
    audience,
    variables: variablesRequest(form.variables, variableKeys),
    ...(needsMedia && form.headerMediaUrl.trim() ? { headerMediaUrl: form.headerMediaUrl.trim() } : {}),
    ...scheduleRequest(form.schedule),
  };
}

/** What the form shows for a saved broadcast (edit): its schedule read back on the wall clock of its zone. */
export function formOfBroadcast(
  b: {
    name: string;
    senderId: number;
    template: { name: string; language: string };
    audience: Record<string, unknown>;
    variables: Record<string, string>;
    headerMediaUrl: string | null;
    scheduledAt: string | null;
    sendAt: 'immediate' | 'recipient_local';
    localTimePassed: 'now' | 'next_day' | null;
    quietHours: { from: string; to: string } | null;
    timezone: string | null;
  },
  viewerZone: string,
): ComposeForm {
  const zone = b.timezone || viewerZone;
  const at = b.scheduledAt ? new Date(b.scheduledAt) : null;
  const clock = at ? wallClockIn(at, zone) : { date: '', time: '' };
  const mode: ScheduleMode = b.sendAt === 'recipient_local' ? 'recipient_local' : at && at.getTime() > Date.now() ? 'at' : 'now';
  return {
    name: b.name,
    senderId: b.senderId,
    template: { name: b.template.name, language: b.template.language },
    audience: audienceChoiceOf(b.audience),
    variables: { ...b.variables },
    headerMediaUrl: b.headerMediaUrl ?? '',
    schedule: {
      mode,
      ...clock,
      zone,
      localTimePassed: b.localTimePassed ?? 'now',
      quietHours: b.quietHours ? { from: b.quietHours.from.slice(0, 5), to: b.quietHours.to.slice(0, 5) } : null,
    },
  };
}

/** A blank form; the audience may come from the URL (the import wizard's "Broadcast to this list"). */
export function blankForm(params: URLSearchParams, viewerZone: string, now: Date = new Date()): ComposeForm {
  const inAnHour = wallClockIn(new Date(now.getTime() + 3_600_000), viewerZone);
  return {
    name: '',
    senderId: null,
    template: null,
    audience: audienceChoiceOf(params),
    variables: {},
    headerMediaUrl: '',
    schedule: { mode: 'now', ...inAnHour, zone: viewerZone, localTimePassed: 'now', quietHours: null },
  };
}

/** `{{field|fallback}}` for a suggested field: the fields every contact has, then the audience's attribute keys. */
export function fieldSuggestions(attributeKeys: string[]): string[] {
  return [...new Set(['name', 'phone', 'country', ...attributeKeys])];
}

export function insertField(text: string, field: string): string {
  return `${text}{{${field}}}`;
}
