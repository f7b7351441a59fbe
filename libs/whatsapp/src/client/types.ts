/**
 * The one sending interface of Clarion. Two implementations (Cloud API, On-Premises API)
 * live beside it; callers pick one through `WhatsAppClients.for(sender)`.
 * Payload shapes follow Meta's API exactly (snake_case where Meta uses it).
 */

/** What a client needs to know about a sender; the token is already decrypted. */
export interface SenderCredentials {
  id: number;
  api: 'cloud' | 'onprem';
  phoneNumberId: string;
  accessToken: string;
  /** On-Premises API base URL, e.g. https://wa-gateway.example.com */
  baseUrl?: string | null;
  wabaId?: string | null;
}

/** A template parameter as Meta's messages API takes it. */
export type TemplateParameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | { type: 'currency'; currency: { fallback_value: string; code: string; amount_1000: number }; parameter_name?: string }
  | {
      type: 'date_time';
      date_time: {
        fallback_value: string;
        calendar?: string;
        year?: number;
        month?: number;
        day_of_month?: number;
        day_of_week?: number;
        hour?: number;
        minute?: number;
      };
      parameter_name?: string;
    }
  | { type: 'image'; image: { link: string } }
  | { type: 'video'; video: { link: string } }
  | { type: 'document'; document: { link: string; filename?: string } }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string };

export type TemplateComponentParameters =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | { type: 'button'; sub_type: 'quick_reply' | 'url' | 'copy_code' | 'flow'; index: string; parameters: TemplateParameter[] };

export interface TemplateMessage {
  /** E.164 with or without '+'; Meta accepts both. */
  to: string;
  template: { name: string; language: string; components?: TemplateComponentParameters[] };
  /** Echoed back in status webhooks: Clarion puts the broadcast and recipient reference here. */
  bizOpaqueCallbackData?: string;
}

/**
 * How Clarion reacts to a refused send, decided from Meta's `error.code`, never from the
 * HTTP status (Meta returns 130429 as 400 or as 429).
 */
export enum ErrorClass {
  /** 130429, 4, 80007: slow the sender down and retry. */
  Throughput = 'throughput',
  /** 131056: too many messages to this one recipient; retry that recipient later. */
  PairRate = 'pair_rate',
  /** 1, 2, 131000, 131016, 131057, 133004, 133015, 5xx, timeouts: retry with backoff and jitter. */
  Transient = 'transient',
  /** 131049: Meta's marketing frequency cap for this user; not before 24 h. */
  FrequencyCap = 'frequency_cap',
  /** 131048: spam rate limit; stop the sender's broadcasts. */
  SpamLimit = 'spam_limit',
  /** 131026, 131047, 131050, 131051, 132000, 132001, … : this recipient fails for good. */
  Permanent = 'permanent',
  /** 0, 190, 3, 10, 200–299: the sender's credentials or permissions are broken. */
  Auth = 'auth',
}

export interface WhatsAppError {
  code: number;
  title: string;
  message: string;
  details?: string;
  httpStatus?: number;
  errorClass: ErrorClass;
  /** Meta's `error_subcode`, when given (e.g. 2494055 with 130429). */
  subcode?: number;
  /** Meta's request trace id, worth quoting to Meta support. */
  fbtraceId?: string;
}

export type SendOutcome = { ok: true; wamid: string } | { ok: false; error: WhatsAppError };

export interface WhatsAppClient {
  /** Sends one template message. Never throws for a refusal: it is returned, classified. */
  sendTemplate(sender: SenderCredentials, message: TemplateMessage): Promise<SendOutcome>;
}
