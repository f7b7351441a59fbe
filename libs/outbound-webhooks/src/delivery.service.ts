import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Webhook } from 'standardwebhooks';
import type { Environment } from '@clarion/config';
import { TokenCipher } from '@clarion/senders';
import { DeliveryAttempt, EndpointsRepository } from './endpoints.repository';
import { resolvesPrivate } from './url-policy';

/** What a delivery sends: the event, whose id is `webhook-id` on every attempt. */
export interface OutboundMessage {
  eventId: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export type DeliveryOutcome =
  | { kind: 'delivered' | 'failed'; attempt: DeliveryAttempt; disabledNow: boolean }
  /** The endpoint was deleted or disabled meanwhile: nothing sent, nothing to retry. */
  | { kind: 'dropped' };

/**
 * One delivery attempt: `POST url` with `{ type, timestamp, data }`, signed as the Standard
 * Webhooks specification says (`webhook-id`, `webhook-timestamp` of this attempt,
 * `webhook-signature`), answered 2xx within WEBHOOK_TIMEOUT_MS or failed. Every attempt is logged.
 */
@Injectable()
export class WebhookDelivery {
  private readonly logger = new Logger(WebhookDelivery.name);
  private readonly timeoutMs: number;
  private readonly disableAfterSeconds: number;
  private readonly checkAddresses: boolean;

  constructor(
    private readonly endpoints: EndpointsRepository,
    @Inject(TokenCipher) private readonly cipher: TokenCipher,
    config: ConfigService<Environment, true>,
  ) {
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.disableAfterSeconds = config.get('WEBHOOK_DISABLE_AFTER_SECONDS', { infer: true });
    this.checkAddresses =
      config.get('NODE_ENV', { infer: true }) === 'production' && !config.get('WEBHOOK_ALLOW_PRIVATE_NETWORKS', { infer: true });
  }

  async deliver(endpointId: number, message: OutboundMessage, attemptNumber: number): Promise<DeliveryOutcome> {
    const found = await this.endpoints.findSecret(endpointId);
    if (!found || (found.endpoint.status !== 'enabled' && message.type !== 'ping')) return { kind: 'dropped' };
    const body = JSON.stringify({ type: message.type, timestamp: message.occurredAt, data: message.data });
    const started = Date.now();
    let responseCode: number | null = null;
    let error: string | null = null;
    try {
      if (this.checkAddresses && (await resolvesPrivate(found.endpoint.url)))
        throw new Error('the endpoint resolves to a private or loopback address');
      const now = new Date();
      const signature = new Webhook(this.cipher.decrypt(found.secretEnc)).sign(message.eventId, now, body);
      const response = await fetch(found.endpoint.url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Clarion-Webhooks/1',
          'webhook-id': message.eventId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
      });
      responseCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) error = `answered HTTP ${response.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (e.cause?.code ?? e.message);
    }
    const attempt: DeliveryAttempt = {
      endpointId,
      eventId: message.eventId,
      eventType: message.type,
      attempt: attemptNumber,
      ok: error === null,
      responseCode,
      error,
      durationMs: Date.now() - started,
    };
    const disabledNow = await this.endpoints.recordAttempt(attempt, this.disableAfterSeconds, found.endpoint.failingSince !== null);
    if (disabledNow)
      this.logger.warn(
        { endpointId, eventId: message.eventId, lastError: error },
        `webhook endpoint ${endpointId} disabled: its deliveries failed for ${this.disableAfterSeconds} s; re-enable it with PATCH /v1/webhook-endpoints/${endpointId} {"enabled": true}`,
      );
    return { kind: attempt.ok ? 'delivered' : 'failed', attempt, disabledNow };
  }
}
