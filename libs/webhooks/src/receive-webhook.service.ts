import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '@clarion/common';
import type { Environment } from '@clarion/config';
import { verifySignature } from '@clarion/whatsapp';
import { WebhookInbox } from './webhook-inbox.service';
import { resolveWebhookSecret, WebhookSecret } from './webhook-secret';

/** Meta sends at most 1,000 updates per delivery (well under 1 MB); this leaves ample room. */
export const MAX_WEBHOOK_BYTES = 4 * 1024 * 1024;

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Meta's two calls: the subscription handshake and the signed event delivery. */
@Injectable()
export class ReceiveWebhook implements OnModuleInit {
  private readonly logger = new Logger(ReceiveWebhook.name);
  private secretCache?: WebhookSecret;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly inbox: WebhookInbox,
  ) {}

  /** Says at boot, once, whether webhooks will be refused or checked with the sandbox secret. */
  onModuleInit(): void {
    this.secret();
  }

  /** Answers `hub.challenge` when the verify token matches WHATSAPP_VERIFY_TOKEN. */
  handshake(mode: unknown, token: unknown, challenge: unknown): string {
    const expected = this.config.get('WHATSAPP_VERIFY_TOKEN', { infer: true });
    if (!expected) throw new DomainError(ErrorCode.Forbidden, 'webhook verification is refused: WHATSAPP_VERIFY_TOKEN is not set');
    if (mode !== 'subscribe' || typeof token !== 'string' || !sameText(token, expected)) {
      throw new DomainError(ErrorCode.Forbidden, 'webhook verification failed: hub.mode must be subscribe and hub.verify_token must match');
    }
    if (typeof challenge !== 'string' || challenge.length === 0) throw DomainError.validation('hub.challenge is missing');
    return challenge;
  }

  /**
   * Verifies the signature over the exact bytes received and stores the body; resolves once
   * it is durable, so the 200 Meta gets means the event cannot be lost.
   */
  async receive(rawBody: Buffer | undefined, signature: string | string[] | undefined): Promise<void> {
    const secret = this.secret();
    if (secret.secret === null) throw new DomainError(ErrorCode.Unauthorized, secret.reason);
    if (!rawBody || rawBody.length === 0) throw DomainError.validation('webhook body is missing: Meta posts application/json');
    if (rawBody.length > MAX_WEBHOOK_BYTES)
      throw new DomainError(ErrorCode.PayloadTooLarge, `webhook body exceeds ${MAX_WEBHOOK_BYTES} bytes`);
    if (!verifySignature(rawBody, signature, secret.secret)) {
      throw new DomainError(
        ErrorCode.Unauthorized,
        signature ? 'X-Hub-Signature-256 does not match the body' : 'X-Hub-Signature-256 header is missing',
      );
    }
    await this.inbox.store(rawBody);
  }

  private secret(): WebhookSecret {
    if (!this.secretCache) {
      this.secretCache = resolveWebhookSecret(
        this.config.get('WHATSAPP_APP_SECRET', { infer: true }),
        this.config.get('WHATSAPP_GRAPH_URL', { infer: true }),
        this.config.get('NODE_ENV', { infer: true }),
      );
      if (this.secretCache.secret === null) this.logger.warn(this.secretCache.reason);
      else if (this.secretCache.sandbox)
        this.logger.warn('WHATSAPP_APP_SECRET is not set: accepting webhooks signed with the local sandbox secret');
    }
    return this.secretCache;
  }
}
