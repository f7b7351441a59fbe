import { HttpPools, splitBaseUrl } from './http-pools';
import { errorFromException, parseSendResponse } from './send-response';
import { buildTemplateRequest } from './template-request';
import type { SenderCredentials, SendOutcome, TemplateMessage, WhatsAppClient } from './types';

export interface GraphApiOptions {
  /** WHATSAPP_GRAPH_URL, e.g. https://graph.facebook.com or a sandbox URL (a path prefix is kept). */
  graphUrl: string;
  /** WHATSAPP_GRAPH_VERSION, e.g. v23.0 */
  graphVersion: string;
}

/** Sends through Meta's Cloud API: `POST {graphUrl}/{version}/{phone-number-id}/messages` with the sender's bearer token. */
export class CloudApiClient implements WhatsAppClient {
  private readonly origin: string;
  private readonly pathPrefix: string;

  constructor(
    private readonly pools: HttpPools,
    private readonly options: GraphApiOptions,
  ) {
    ({ origin: this.origin, pathPrefix: this.pathPrefix } = splitBaseUrl(options.graphUrl));
  }

  async sendTemplate(sender: SenderCredentials, message: TemplateMessage): Promise<SendOutcome> {
    const path = `${this.pathPrefix}/${this.options.graphVersion}/${encodeURIComponent(sender.phoneNumberId)}/messages`;
    try {
      const response = await this.pools.for(this.origin).request({
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${sender.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(buildTemplateRequest(message)),
      });
      return parseSendResponse(response.statusCode, await response.body.text());
    } catch (error) {
      return { ok: false, error: errorFromException(error) };
    }
  }
}
