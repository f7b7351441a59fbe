import type {
  InboundMessageEvent,
  MessageStatus,
  OtherEvent,
  StatusEvent,
  TemplateCategoryEvent,
  TemplateQualityEvent,
  TemplateStatusEvent,
  UserPreferenceEvent,
  WebhookEvent,
} from './events';

/* Meta's payloads are loosely typed JSON: read them defensively, field by field. */
type Json = Record<string, unknown>;

const STATUSES = new Set<MessageStatus>(['sent', 'delivered', 'read', 'failed']);

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function arr(value: unknown): Json[] {
  return Array.isArray(value) ? (value.map(obj).filter(Boolean) as Json[]) : [];
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Meta sends epoch seconds, as a string or a number; documentation samples hold placeholders. */
function epoch(value: unknown, fallback: Date): Date {
  const seconds = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(seconds) ? new Date(seconds * 1000) : fallback;
}

export interface ParseOptions {
  /** Stands in for a missing or unreadable timestamp (the time Clarion received the webhook). */
  receivedAt?: Date;
}

/**
 * Turns one webhook body (`object: whatsapp_business_account`) into normalised events.
 * Never throws on unexpected shapes: what Clarion does not act on becomes `kind: 'other'`
 * with the change's field (and what it was), so the caller can log it.
 */
export function parseWebhook(payload: unknown, options: ParseOptions = {}): WebhookEvent[] {
  const receivedAt = options.receivedAt ?? new Date();
  const events: WebhookEvent[] = [];
  for (const entry of arr(obj(payload)?.entry)) {
    const entryId = str(entry.id) ?? '';
    for (const change of arr(entry.changes)) {
      const field = str(change.field) ?? 'unknown';
      const value = obj(change.value) ?? {};
      switch (field) {
        case 'messages':
          events.push(...parseMessagesChange(value, receivedAt));
          break;
        case 'user_preferences':
          events.push(...parseUserPreferences(value, receivedAt));
          break;
        case 'message_template_status_update':
          events.push(parseTemplateStatus(entryId, value));
          break;
        case 'message_template_quality_update':
          events.push(parseTemplateQuality(entryId, value));
          break;
        case 'template_category_update':
          events.push(parseTemplateCategory(entryId, value));
          break;
        default:
          events.push(other(field));
      }
    }
  }
  return events;
}

function other(field: string, detail?: string): OtherEvent {
  return detail ? { kind: 'other', field: `${field}:${detail}` } : { kind: 'other', field };
}

function parseMessagesChange(value: Json, receivedAt: Date): WebhookEvent[] {
  const phoneNumberId = str(obj(value.metadata)?.phone_number_id) ?? '';
  const events: WebhookEvent[] = [];
  const names = new Map(arr(value.contacts).map((c) => [str(c.wa_id) ?? '', str(obj(c.profile)?.name)]));
  for (const status of arr(value.statuses)) events.push(parseStatus(phoneNumberId, status, receivedAt));
  for (const message of arr(value.messages)) events.push(parseInbound(phoneNumberId, message, names, receivedAt));
  // System-level errors (e.g. 130429 without a message) carry no wamid to apply to.
  if (arr(value.errors).length > 0) events.push(other('messages', 'errors'));
  return events;
}

function parseErrors(value: unknown): StatusEvent['errors'] {
  const errors = arr(value).map((e) => ({
    code: Number(e.code),
    title: str(e.title) ?? '',
    message: str(e.message),
    details: str(obj(e.error_data)?.details) ?? str(e.details),
  }));
  return errors.length > 0 ? errors : undefined;
}

function parseStatus(phoneNumberId: string, raw: Json, receivedAt: Date): StatusEvent | OtherEvent {
  const status = str(raw.status) as MessageStatus | undefined;
  const wamid = str(raw.id);
  if (!wamid || !status || !STATUSES.has(status)) return other('messages', `status ${status ?? 'missing'}`);
  const event: StatusEvent = {
    kind: 'status',
    phoneNumberId,
    wamid,
    status,
    timestamp: epoch(raw.timestamp, receivedAt),
    recipientId: str(raw.recipient_id) ?? str(raw.recipient_user_id) ?? '',
  };
  const callbackData = str(raw.biz_opaque_callback_data);
  if (callbackData !== undefined) event.callbackData = callbackData;
  const errors = parseErrors(raw.errors);
  if (errors) event.errors = errors;
  const pricing = obj(raw.pricing);
  if (pricing) {
    // CBP (until mid-2025) and PMP (per-message pricing) share these fields; `type` is PMP-only.
    event.pricing = {
      billable: typeof pricing.billable === 'boolean' ? pricing.billable : undefined,
      category: str(pricing.category),
      pricingModel: str(pricing.pricing_model),
      type: str(pricing.type),
    };
  }
  const conversation = obj(raw.conversation);
  if (conversation) {
    const expires = conversation.expiration_timestamp;
    event.conversation = {
      id: str(conversation.id),
      category: str(obj(conversation.origin)?.type),
      expiresAt: expires === undefined ? undefined : epoch(expires, receivedAt),
    };
  }
  return event;
}

/** The words a person wrote or tapped: text body, quick-reply button, interactive reply. */
function inboundText(raw: Json): { text?: string; payload?: string } {
  const button = obj(raw.button);
  if (button) return { text: str(button.text), payload: str(button.payload) };
  const interactive = obj(raw.interactive);
  if (interactive) {
    const reply = obj(interactive.button_reply) ?? obj(interactive.list_reply);
    return { text: str(reply?.title), payload: str(reply?.id) };
  }
  return { text: str(obj(raw.text)?.body) };
}

function parseInbound(
  phoneNumberId: string,
  raw: Json,
  names: Map<string, string | undefined>,
  receivedAt: Date,
): InboundMessageEvent | OtherEvent {
  const wamid = str(raw.id);
  const from = str(raw.from);
  if (!wamid || !from) return other('messages', 'message without id or from');
  const event: InboundMessageEvent = {
    kind: 'inbound',
    phoneNumberId,
    wamid,
    from,
    timestamp: epoch(raw.timestamp, receivedAt),
    type: str(raw.type) ?? 'unknown',
  };
  const profileName = names.get(from);
  if (profileName) event.profileName = profileName;
  const { text, payload } = inboundText(raw);
  if (text !== undefined) event.text = text;
  if (payload !== undefined) event.payload = payload;
  const contextWamid = str(obj(raw.context)?.id);
  if (contextWamid) event.contextWamid = contextWamid;
  return event;
}

function parseUserPreferences(value: Json, receivedAt: Date): Array<UserPreferenceEvent | OtherEvent> {
  const phoneNumberId = str(obj(value.metadata)?.phone_number_id) ?? '';
  return arr(value.user_preferences).map((pref) => {
    const waId = str(pref.wa_id);
    const choice = str(pref.value)?.toLowerCase();
    if (!waId || (choice !== 'stop' && choice !== 'resume')) return other('user_preferences', `value ${choice ?? 'missing'}`);
    return { kind: 'user_preference', phoneNumberId, waId, value: choice, timestamp: epoch(pref.timestamp, receivedAt) };
  });
}

/** The template a template webhook is about: Meta's id, and its name and language when given. */
function templateRef(wabaId: string, value: Json): { wabaId: string; templateId: string; name?: string; language?: string } {
  const ref: { wabaId: string; templateId: string; name?: string; language?: string } = {
    wabaId,
    templateId: str(value.message_template_id) ?? '',
  };
  const name = str(value.message_template_name);
  if (name) ref.name = name;
  const language = str(value.message_template_language);
  if (language) ref.language = language;
  return ref;
}

function parseTemplateQuality(wabaId: string, value: Json): TemplateQualityEvent | OtherEvent {
  const quality = str(value.new_quality_score)?.toUpperCase();
  if (!quality) return other('message_template_quality_update', 'no new_quality_score');
  const event: TemplateQualityEvent = { kind: 'template_quality', ...templateRef(wabaId, value), quality };
  const previous = str(value.previous_quality_score)?.toUpperCase();
  if (previous) event.previousQuality = previous;
  return event;
}

function parseTemplateCategory(wabaId: string, value: Json): TemplateCategoryEvent | OtherEvent {
  const category = str(value.new_category)?.toUpperCase();
  const previousCategory = str(value.previous_category)?.toUpperCase();
  // Without previous_category it is the advance notice (correct_category): nothing has changed yet.
  if (!category || !previousCategory) return other('template_category_update', 'notice of a coming change');
  return { kind: 'template_category', ...templateRef(wabaId, value), category, previousCategory };
}

function parseTemplateStatus(wabaId: string, value: Json): TemplateStatusEvent {
  const event: TemplateStatusEvent = {
    kind: 'template_status',
    ...templateRef(wabaId, value),
    status: (str(value.event) ?? '').toUpperCase(),
  };
  // Rejections explain themselves in rejection_info, pauses (and locks) in other_info; `reason` is Meta's code.
  const otherInfo = obj(value.other_info);
  const reason = str(obj(value.rejection_info)?.reason) ?? str(otherInfo?.description) ?? str(otherInfo?.title) ?? str(value.reason);
  if (reason && reason !== 'NONE') event.reason = reason;
  return event;
}
