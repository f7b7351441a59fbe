import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import type { TemplateLike } from './bubble';
import { type AudienceRequest, type BroadcastRequest, splitContactEntries, type AudienceChoice } from './compose-form';

export type SenderView = Schemas['SenderView'];
export type DryRunReport = Schemas['DryRunReportView'];
export type TemplateView = TemplateLike & { id: number; status: string; wabaId: string | null };
interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Senders with their WABA (whose templates they may send). */
export function useSenderList() {
  return useQuery({
    queryKey: ['senders', 'list'],
    queryFn: async () => (await unwrap(api.GET('/v1/senders', { params: { query: { limit: 200 } } }))) as unknown as Page<SenderView>,
    staleTime: 60_000,
  });
}

/** APPROVED templates a sender may send: its WABA's, and those tied to none. */
export function useApprovedTemplates(wabaId: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['templates', 'approved'],
    queryFn: async () =>
      (await unwrap(api.GET('/v1/templates', { params: { query: { status: 'APPROVED', limit: 1000 } } }))) as unknown as Page<TemplateView>,
    enabled,
    staleTime: 60_000,
    select: (page) => page.data.filter((t) => !t.wabaId || t.wabaId === wabaId),
  });
}

export function useLists() {
  return useQuery({
    queryKey: ['lists', 'all'],
    queryFn: async () =>
      (await unwrap(api.GET('/v1/lists', { params: { query: { limit: 1000 } } }))) as unknown as Page<{
        id: number;
        name: string;
        size?: number;
      }>,
    staleTime: 30_000,
  });
}

export function useImports() {
  return useQuery({
    queryKey: ['imports', 'recent'],
    queryFn: () => unwrap(api.GET('/v1/imports', { params: { query: { limit: 100 } } })),
    staleTime: 30_000,
  });
}

/** The attribute names of the audience's contacts (all contacts' for ids and earlier broadcasts, which the filter cannot name). */
export function useAttributeKeys(audience: AudienceRequest | null) {
  const query: Record<string, unknown> = {};
  if (audience && 'listId' in audience) query.listId = audience.listId;
  if (audience && 'importId' in audience) query.importId = audience.importId;
  if (audience && 'tags' in audience) query.tag = audience.tags.join(',');
  return useQuery({
    queryKey: ['contacts', 'attribute-keys', query],
    queryFn: async () => (await unwrap(api.GET('/v1/contacts/attribute-keys', { params: { query } }))).keys,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** The contact ids of typed phones, as the server finds them (a phone no contact has is reported back). */
export function usePhoneContacts(choice: AudienceChoice) {
  const phones = choice.kind === 'contacts' ? splitContactEntries(choice.entries).phones.slice(0, 50) : [];
  return useQuery({
    queryKey: ['contacts', 'by-phone', phones],
    queryFn: async () => {
      const ids: number[] = [];
      const unknown: string[] = [];
      for (const phone of phones) {
        const page = await unwrap(api.GET('/v1/contacts', { params: { query: { search: phone, limit: 1 } } }));
        const found = (page as unknown as Page<{ id: number; phone: string }>).data[0];
        if (found && found.phone.replace(/\D/g, '').endsWith(phone.replace(/\D/g, '').replace(/^0+/, ''))) ids.push(found.id);
        else unknown.push(phone);
      }
      return { ids, unknown };
    },
    enabled: phones.length > 0,
    placeholderData: keepPreviousData,
  });
}

/** The server's dry run of the would-be broadcast: counts, skips by reason, cost by country, rendered samples. */
export function useDryRun(request: BroadcastRequest | null, previewContact: { phone?: string; contactId?: number } | null) {
  const body = request && { ...request, ...(previewContact ? { previewContact } : {}) };
  return useQuery({
    queryKey: ['broadcasts', 'dry-run', body],
    // A count superseded by a change is abandoned (a 1M-contact dry run takes tens of seconds).
    queryFn: ({ signal }) => unwrap(api.POST('/v1/broadcasts/dry-run', { body: body as unknown as Schemas['DryRunBroadcastDto'], signal })),
    enabled: !!body,
    retry: false,
    staleTime: 15_000,
    placeholderData: keepPreviousData,
  });
}
