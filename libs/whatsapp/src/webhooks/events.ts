/**
 * Webhook payloads normalised into the events Clarion acts on. Parsing lives in
 * `parse-webhook.ts`; consumers (stats, contacts, templates) see only these shapes.
 */

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusEvent {
  kind: 'status';
  /** The phone number id the webhook was addressed to (metadata.phone_number_id). */
  phoneNumberId: string;
  wamid: string;
  status: MessageStatus;
  /** Seconds since the epoch, as Meta sends it, converted to a Date. */
  timestamp: Date;
  recipientId: string;
  /** Our own reference, echoed from `biz_opaque_callback_data`. */
  callbackData?: string;
  errors?: Array<{ code: number; title: string; message?: string; details?: string }>;
  pricing?: { billable?: boolean; category?: string; pricingModel?: string; type?: string };
  conversation?: { id?: string; category?: string; expiresAt?: Date };
}

export interface InboundMessageEvent {
  kind: 'inbound';
  phoneNumberId: string;
  wamid: string;
  /** Sender's WhatsApp id (phone digits, no '+'). */
  from: string;
  profileName?: string;
  timestamp: Date;
  type: string;
  /** The text (text, button, interactive replies), if any. */
  text?: string;
  /** A tapped button's payload (quick reply) or id (interactive reply), if any. */
  payload?: string;
  /** `context.id`: the wamid of our message this one replies to, if WhatsApp says so. */
  contextWamid?: string;
}

export interface TemplateStatusEvent {
  kind: 'template_status';
  wabaId: string;
  templateId: string;
  name?: string;
  language?: string;
  status: string;
  reason?: string;
}

/** `message_template_quality_update`: Meta's quality score of a template (GREEN, YELLOW, RED, UNKNOWN). */
export interface TemplateQualityEvent {
  kind: 'template_quality';
  wabaId: string;
  templateId: string;
  name?: string;
  language?: string;
  quality: string;
  previousQuality?: string;
}

/**
 * `template_category_update` once the change is done (`previous_category` → `new_category`).
 * The advance notice of a coming change (`correct_category`) is not an event of its own.
 */
export interface TemplateCategoryEvent {
  kind: 'template_category';
  wabaId: string;
  templateId: string;
  name?: string;
  language?: string;
  category: string;
  previousCategory: string;
}

export interface UserPreferenceEvent {
  kind: 'user_preference';
  phoneNumberId: string;
  waId: string;
  /** 'stop' or 'resume' for marketing messages. */
  value: 'stop' | 'resume';
  timestamp: Date;
}

export interface OtherEvent {
  kind: 'other';
  field: string;
}

export type WebhookEvent =
  StatusEvent | InboundMessageEvent | TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent | UserPreferenceEvent | OtherEvent;
