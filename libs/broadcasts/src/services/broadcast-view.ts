import { Broadcast, BroadcastStatus, ErrorPolicy } from '../entities/broadcast.entity';
import type { LocalTimePassed, QuietHours } from '../scheduling/recipient-local-time';

/** A broadcast as the API shows it (entities never leave the libraries). */
export interface BroadcastView {
  id: number;
  name: string;
  kind: 'broadcast' | 'sequence_step';
  status: BroadcastStatus;
  statusReason: string | null;
  senderId: number;
  template: { id: number; name: string; language: string; category: string };
  audience: unknown;
  /** Contacts in the audience when it was last saved (opted-out ones included). */
  audienceCount: number | null;
  variables: Record<string, string>;
  headerMediaUrl: string | null;
  tags: string[];
  scheduledAt: Date | null;
  sendAt: 'immediate' | 'recipient_local';
  localTimePassed: LocalTimePassed | null;
  quietHours: QuietHours | null;
  timezone: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorPolicy: ErrorPolicy | null;
  copiedFromId: number | null;
  estimatedCost: { amount: number; currency: string } | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toBroadcastView(b: Broadcast, currency = 'USD'): BroadcastView {
  return {
    id: b.id,
    name: b.name,
    kind: b.kind,
    status: b.status,
    statusReason: b.statusReason,
    senderId: b.senderId,
    template: { id: b.templateId, name: b.templateName, language: b.templateLanguage, category: b.templateCategory },
    audience: b.audience,
    audienceCount: b.audienceCount,
    variables: b.variables ?? {},
    headerMediaUrl: b.headerMediaUrl,
    tags: b.tags ?? [],
    scheduledAt: b.scheduledAt,
    sendAt: b.sendAt ?? 'immediate',
    localTimePassed: b.sendAt === 'recipient_local' ? (b.localTimePassed ?? 'now') : null,
    quietHours: b.quietHours,
    timezone: b.timezone,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    errorPolicy: b.errorPolicy,
    copiedFromId: b.copiedFromId,
    estimatedCost: b.estimatedCost === null ? null : { amount: b.estimatedCost, currency },
    createdBy: b.createdBy,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}
