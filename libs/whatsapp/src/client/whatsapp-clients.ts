import type { MessageTemplateCreateRequest, MessageTemplateCreateResponse, MessageTemplateResponseItem } from '../payloads';
import { CloudApiClient, type GraphApiOptions } from './cloud-api.client';
import { GraphReader, type PhoneNumberInfo } from './graph-reader';
import { HttpPools, type HttpPoolOptions } from './http-pools';
import { OnPremisesClient } from './on-premises.client';
import type { SenderCredentials, WhatsAppClient } from './types';

export interface WhatsAppClientsOptions extends GraphApiOptions {
  http?: HttpPoolOptions;
}

/**
 * Entry point of the WhatsApp layer: the client for a sender (Cloud or On-Premises) and the
 * Graph API reads. One instance per process: it owns the keep-alive pools (`close()` ends them).
 */
export class WhatsAppClients {
  private readonly pools: HttpPools;
  private readonly cloud: CloudApiClient;
  private readonly onPremises: OnPremisesClient;
  private readonly graph: GraphReader;

  constructor(options: WhatsAppClientsOptions) {
    this.pools = new HttpPools(options.http);
    this.cloud = new CloudApiClient(this.pools, options);
    this.onPremises = new OnPremisesClient(this.pools);
    this.graph = new GraphReader(this.pools, options);
  }

  /** The client that speaks the sender's API. */
  for(sender: SenderCredentials): WhatsAppClient {
    return sender.api === 'onprem' ? this.onPremises : this.cloud;
  }

  /** Tier, throughput level and quality rating of a Cloud sender's phone number. Throws DomainError(UPSTREAM). */
  getPhoneNumberInfo(sender: SenderCredentials): Promise<PhoneNumberInfo> {
    return this.graph.getPhoneNumberInfo(sender);
  }

  /** All templates of the sender's WABA (`sender.wabaId`), every page. Throws DomainError(UPSTREAM|VALIDATION). */
  listTemplates(sender: SenderCredentials): Promise<MessageTemplateResponseItem[]> {
    return this.graph.listTemplates(sender);
  }

  /** Submits a template for review to the sender's WABA. Throws DomainError(UPSTREAM|VALIDATION); Meta's refusal is in `details.whatsapp`. */
  submitTemplate(sender: SenderCredentials, template: MessageTemplateCreateRequest): Promise<MessageTemplateCreateResponse> {
    return this.graph.submitTemplate(sender, template);
  }

  async close(): Promise<void> {
    await this.pools.close();
  }
}
