import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes, randomUUID } from 'node:crypto';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';
import type { Environment } from '@clarion/config';
import { TokenCipher } from '@clarion/senders';
import { WebhookDelivery } from './delivery.service';
import { DeliveryRow, EndpointRow, EndpointsRepository } from './endpoints.repository';
import { OUTBOUND_EVENT_TYPES, OutboundEventType, PING_EVENT } from './events';
import { endpointUrlProblem, UrlPolicy } from './url-policy';

export interface CreateEndpointCommand {
  url: string;
  events: OutboundEventType[];
  description?: string | null;
}

export interface UpdateEndpointCommand {
  url?: string;
  events?: OutboundEventType[];
  description?: string | null;
  /** false disables the endpoint; true enables it again (its failure clock starts afresh). */
  enabled?: boolean;
  /** A new secret, answered once; deliveries already queued are signed with the new one. */
  rotateSecret?: boolean;
}

export interface PingResult {
  eventId: string;
  status: 'succeeded' | 'failed';
  responseCode: number | null;
  error: string | null;
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Webhook endpoints: their URLs, subscriptions and secrets (encrypted at rest), and their delivery log. */
@Injectable()
export class WebhookEndpoints {
  private readonly policy: UrlPolicy;

  constructor(
    private readonly repository: EndpointsRepository,
    @Inject(TokenCipher) private readonly cipher: TokenCipher,
    private readonly delivery: WebhookDelivery,
    config: ConfigService<Environment, true>,
  ) {
    this.policy = {
      production: config.get('NODE_ENV', { infer: true }) === 'production',
      allowPrivate: config.get('WEBHOOK_ALLOW_PRIVATE_NETWORKS', { infer: true }),
    };
  }

  async create(command: CreateEndpointCommand): Promise<{ endpoint: EndpointRow; secret: string }> {
    this.check(command.url, command.events);
    const secret = newSecret();
    const id = await this.repository.insert({
      url: command.url,
      description: command.description ?? null,
      events: [...new Set(command.events)],
      secretEnc: this.cipher.encrypt(secret),
    });
    return { endpoint: await this.get(id), secret };
  }

  async get(id: number): Promise<EndpointRow> {
    const endpoint = await this.repository.findById(id);
    if (!endpoint) throw DomainError.notFound('webhook endpoint', id);
    return endpoint;
  }

  async list(limit?: number, cursor?: string): Promise<Page<EndpointRow>> {
    const size = clampLimit(limit);
    const after = Number(decodeCursor<{ id: number }>(cursor)?.id ?? 0);
    return toPage(await this.repository.listAfter(after, size), size, (e) => ({ id: e.id }));
  }

  async update(id: number, command: UpdateEndpointCommand): Promise<{ endpoint: EndpointRow; secret?: string }> {
    const current = await this.get(id);
    this.check(command.url ?? current.url, command.events ?? current.events);
    const secret = command.rotateSecret ? newSecret() : undefined;
    await this.repository.update(id, {
      url: command.url,
      description: command.description,
      events: command.events ? [...new Set(command.events)] : undefined,
      enabled: command.enabled,
      secretEnc: secret ? this.cipher.encrypt(secret) : undefined,
    });
    return { endpoint: await this.get(id), ...(secret ? { secret } : {}) };
  }

  async remove(id: number): Promise<void> {
    if (!(await this.repository.delete(id))) throw DomainError.notFound('webhook endpoint', id);
  }

  async deliveries(id: number, limit?: number, cursor?: string, status?: 'succeeded' | 'failed'): Promise<Page<DeliveryRow>> {
    await this.get(id);
    const size = clampLimit(limit);
    const before = decodeCursor<{ id: number }>(cursor)?.id;
    const rows = await this.repository.deliveries(id, before === undefined ? undefined : Number(before), size, status);
    return toPage(rows, size, (d) => ({ id: d.id }));
  }

  /** Sends a `ping` now, once (not retried), and answers how it went; the attempt is logged like any other. */
  async ping(id: number): Promise<PingResult> {
    await this.get(id);
    const eventId = randomUUID();
    const outcome = await this.delivery.deliver(
      id,
      { eventId, type: PING_EVENT, occurredAt: new Date().toISOString(), data: { endpointId: id } },
      1,
    );
    if (outcome.kind === 'dropped') throw DomainError.notFound('webhook endpoint', id);
    return {
      eventId,
      status: outcome.kind === 'delivered' ? 'succeeded' : 'failed',
      responseCode: outcome.attempt.responseCode,
      error: outcome.attempt.error,
    };
  }

  private check(url: string, events: readonly string[]): void {
    const problem = endpointUrlProblem(url, this.policy);
    if (problem) throw DomainError.validation(problem);
    const unknown = events.filter((e) => !(OUTBOUND_EVENT_TYPES as readonly string[]).includes(e));
    if (events.length === 0 || unknown.length > 0)
      throw DomainError.validation(
        `events must list one or more of ${OUTBOUND_EVENT_TYPES.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`,
      );
  }
}
