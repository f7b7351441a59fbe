/**
 * Wire shapes of Meta's WhatsApp APIs, shared by the clients and the sandbox (types only, no logic).
 * Field names are Meta's (snake_case). Sources: Meta's OpenAPI file business-messaging-api_v23.0.yaml
 * and the captured payloads in test/fixtures/whatsapp-examples/.
 */
import type { TemplateComponentParameters } from './client/types';

/** `POST /{version}/{phone-number-id}/messages` (Cloud) and `POST /v1/messages` (On-Premises), template type. */
export interface TemplateMessageRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'template';
  template: {
    name: string;
    language: { code: string; policy?: 'deterministic' };
    components?: TemplateComponentParameters[];
  };
  biz_opaque_callback_data?: string;
}

/** Cloud API answer to an accepted send. `message_status` is 'accepted' (or 'held_for_quality_assessment', 'paused'). */
export interface SendMessageResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: string }>;
}

/** Graph API error envelope (Cloud API), e.g. examples/error-response.130429.meta-docs.json. */
export interface GraphErrorBody {
  error: {
    message: string;
    type?: string;
    code: number;
    error_subcode?: number;
    error_user_title?: string;
    error_user_msg?: string;
    error_data?: { messaging_product?: string; details?: string };
    fbtrace_id?: string;
    is_transient?: boolean;
  };
}

/** On-Premises API answers: `{ messages: [{ id }] }` on success, `{ errors: [...] }` on failure. */
export interface OnPremSendResponse {
  messages?: Array<{ id: string }>;
  errors?: OnPremError[];
  meta?: { api_status?: string; version?: string };
}

export interface OnPremError {
  code: number;
  title: string;
  details?: string;
  href?: string;
}

/** On-Premises `POST /v1/users/login` answer; `expires_after` like "2026-12-01 10:00:00+00:00". */
export interface OnPremLoginResponse {
  users: Array<{ token: string; expires_after: string }>;
  meta?: { api_status?: string; version?: string };
}

/** `GET /{version}/{phone-number-id}?fields=…` */
export interface PhoneNumberResponse {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
  /** Deprecated by Meta in favour of the portfolio-level field below; still read as a fallback. */
  messaging_limit_tier?: string;
  /** The business portfolio's messaging limit (shared by all its numbers since October 2025), e.g. TIER_2K. */
  whatsapp_business_manager_messaging_limit?: string;
  throughput?: { level?: string };
  platform_type?: string;
  code_verification_status?: string;
}

/** One template in `GET /{version}/{waba-id}/message_templates`. */
export interface MessageTemplateResponseItem {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * `POST /{version}/{waba-id}/message_templates` (examples/template-create.*.json): Meta's own
 * format, with `example` in every component that has variables.
 */
export interface MessageTemplateCreateRequest {
  name: string;
  language: string;
  category: string;
  parameter_format: 'positional' | 'named';
  components: Array<Record<string, unknown>>;
}

/** Meta's answer to a template submission: its id, the review state, and the category it settled on. */
export interface MessageTemplateCreateResponse {
  id: string;
  status: string;
  category?: string;
}

/** `value` of a `message_template_status_update` webhook change (examples/webhook-template-status-rejected.via-whaloc.json). */
export interface WebhookTemplateStatusValue {
  event: string;
  message_template_id: number | string;
  message_template_name: string;
  message_template_language: string;
  reason?: string;
  message_template_category?: string;
  rejection_info?: { reason?: string; recommendation?: string };
  /** With PAUSED (and locks): e.g. `{ title: "FIRST_PAUSE", description: "…paused for 3 hours…" }`. */
  other_info?: { title?: string; description?: string };
}

export interface MessageTemplatesResponse {
  data: MessageTemplateResponseItem[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
}

/** Status webhook item (entry[].changes[].value.statuses[]). */
export interface WebhookStatusPayload {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string; type?: string };
  errors?: Array<{ code: number; title: string; message?: string; error_data?: { details?: string }; href?: string }>;
}

/** Inbound message item (entry[].changes[].value.messages[]); only the kinds the sandbox simulates. */
export interface WebhookInboundMessagePayload {
  from: string;
  id: string;
  timestamp: string;
  type: 'text';
  text: { body: string };
  context?: { from: string; id: string };
}

export interface WebhookChangeValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: Array<{ profile?: { name: string }; wa_id: string }>;
  statuses?: WebhookStatusPayload[];
  messages?: WebhookInboundMessagePayload[];
}

/** The body Meta POSTs to a webhook subscription for the `messages` field. */
export interface WebhookPayload {
  object: 'whatsapp_business_account';
  entry: Array<{ id: string; changes: Array<{ field: 'messages'; value: WebhookChangeValue }> }>;
}
