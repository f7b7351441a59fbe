import { DomainError, ErrorCode } from '@clarion/common';
import type {
  MessageTemplateCreateRequest,
  MessageTemplateCreateResponse,
  MessageTemplateResponseItem,
  MessageTemplatesResponse,
  PhoneNumberResponse,
} from '../payloads';
import type { GraphApiOptions } from './cloud-api.client';
import { HttpPools, splitBaseUrl } from './http-pools';
import { errorFromBody, errorFromException } from './send-response';
import type { SenderCredentials, WhatsAppError } from './types';

/** What `POST /v1/senders/:id/sync` needs from the Graph API. */
export interface PhoneNumberInfo {
  /** The business portfolio's limit (`whatsapp_business_manager_messaging_limit`): TIER_250, TIER_2K, TIER_10K, TIER_100K, TIER_UNLIMITED */
  portfolioMessagingLimit?: string;
  /** The deprecated per-number `messaging_limit_tier`: the fallback when the portfolio's is absent. */
  messagingLimitTier?: string;
  /** e.g. STANDARD (80 msg/s), HIGH (up to 1,000 msg/s) */
  throughputLevel?: string;
  /** GREEN, YELLOW, RED, UNKNOWN */
  qualityRating?: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
}

const PHONE_FIELDS =
  'display_phone_number,verified_name,quality_rating,whatsapp_business_manager_messaging_limit,messaging_limit_tier,throughput';
/** Meta caps `limit` on this edge; paging follows `paging.next` anyway. */
const TEMPLATES_PAGE_LIMIT = 100;
/** Guards against a gateway that keeps answering the same `next`. */
const MAX_TEMPLATE_PAGES = 1_000;

/**
 * Reads from the Graph API (Cloud senders only), and submits templates for review. Failures throw
 * a DomainError with code UPSTREAM whose details carry the classified WhatsApp error
 * (`details.whatsapp`, with Meta's HTTP status).
 */
export class GraphReader {
  private readonly origin: string;
  private readonly pathPrefix: string;

  constructor(
    private readonly pools: HttpPools,
    private readonly options: GraphApiOptions,
  ) {
    ({ origin: this.origin, pathPrefix: this.pathPrefix } = splitBaseUrl(options.graphUrl));
  }

  async getPhoneNumberInfo(sender: SenderCredentials): Promise<PhoneNumberInfo> {
    const path = `${this.pathPrefix}/${this.options.graphVersion}/${encodeURIComponent(sender.phoneNumberId)}?fields=${PHONE_FIELDS}`;
    const body = await this.call<PhoneNumberResponse>(path, sender);
    return {
      portfolioMessagingLimit: body.whatsapp_business_manager_messaging_limit,
      messagingLimitTier: body.messaging_limit_tier,
      throughputLevel: body.throughput?.level,
      qualityRating: body.quality_rating,
      displayPhoneNumber: body.display_phone_number,
      verifiedName: body.verified_name,
    };
  }

  /**
   * Every template of the sender's WhatsApp Business Account, following `paging.next`. A `next`
   * on another origin than WHATSAPP_GRAPH_URL's is never followed (it would carry the sender's
   * access token there): the read stops with an UPSTREAM error instead of a partial list.
   */
  async listTemplates(sender: SenderCredentials): Promise<MessageTemplateResponseItem[]> {
    if (!sender.wabaId) throw DomainError.validation(`sender ${sender.id} has no wabaId, so its templates cannot be read`);
    const templates: MessageTemplateResponseItem[] = [];
    let path: string | undefined =
      `${this.pathPrefix}/${this.options.graphVersion}/${encodeURIComponent(sender.wabaId)}/message_templates?limit=${TEMPLATES_PAGE_LIMIT}`;
    for (let page = 0; path && page < MAX_TEMPLATE_PAGES; page++) {
      const body: MessageTemplatesResponse = await this.call<MessageTemplatesResponse>(path, sender);
      templates.push(...(body.data ?? []));
      path = body.paging?.next ? this.sameOriginPath(body.paging.next, sender) : undefined;
    }
    return templates;
  }

  /**
   * Submits a template for Meta's review to the sender's WABA. Like every Graph call it goes to
   * WHATSAPP_GRAPH_URL's origin only, the one the sender's access token is meant for.
   */
  async submitTemplate(sender: SenderCredentials, template: MessageTemplateCreateRequest): Promise<MessageTemplateCreateResponse> {
    if (!sender.wabaId) throw DomainError.validation(`sender ${sender.id} has no wabaId, so it cannot submit templates`);
    const path = `${this.pathPrefix}/${this.options.graphVersion}/${encodeURIComponent(sender.wabaId)}/message_templates`;
    const body = await this.call<MessageTemplateCreateResponse>(path, sender, template);
    if (typeof body.id !== 'string' && typeof body.id !== 'number')
      throw new DomainError(ErrorCode.Upstream, `the Graph API accepted the template for sender ${sender.id} but answered no id`);
    return { ...body, id: String(body.id), status: String(body.status ?? 'PENDING') };
  }

  /** The path of a `paging.next` URL on the Graph API's own origin; throws for any other. */
  private sameOriginPath(next: string, sender: SenderCredentials): string {
    let url: URL | undefined;
    try {
      url = new URL(next);
    } catch {
      url = undefined;
    }
    if (!url || url.origin !== this.origin) {
      throw new DomainError(
        ErrorCode.Upstream,
        `the Graph API's paging.next for sender ${sender.id} points to ${url ? url.origin : 'an unreadable URL'}, not ${this.origin}; not followed, so the access token stays with the Graph API`,
      );
    }
    return `${url.pathname}${url.search}`;
  }

  /**
   * A GET, or a JSON POST when `json` is given, to WHATSAPP_GRAPH_URL's origin and no other: the
   * sender's access token goes only where it was given for.
   */
  private async call<T>(path: string, sender: SenderCredentials, json?: unknown): Promise<T> {
    let status: number;
    let text: string;
    try {
      const authorization = `Bearer ${sender.accessToken}`;
      const response = await this.pools
        .for(this.origin)
        .request(
          json === undefined
            ? { method: 'GET', path, headers: { authorization } }
            : { method: 'POST', path, headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(json) },
        );
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw upstream(sender, errorFromException(error));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status >= 200 && status < 300 && body && typeof body === 'object') return body as T;
    throw upstream(sender, errorFromBody(status, body));
  }
}

function upstream(sender: SenderCredentials, error: WhatsAppError): DomainError {
  return new DomainError(ErrorCode.Upstream, `WhatsApp refused the request for sender ${sender.id}: (#${error.code}) ${error.message}`, {
    whatsapp: {
      code: error.code,
      title: error.title,
      message: error.message,
      details: error.details,
      errorClass: error.errorClass,
      httpStatus: error.httpStatus,
    },
  });
}
