import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  MessageTemplatesResponse,
  OnPremLoginResponse,
  PhoneNumberResponse,
  SendMessageResponse,
  TemplateMessageRequest,
} from '@clarion/whatsapp';
import { Ledger, type LedgerEntry, type PhoneStats } from './ledger';
import { PairRateLimiter } from './pair-rate-limiter';
import {
  defaultSandboxConfig,
  mergeSandboxConfig,
  type SandboxConfig,
  type SandboxConfigPatch,
  type SandboxTemplate,
} from './sandbox-config';
import { graphError, onPremError, templateError, type ErrorAnswer } from './sandbox-errors';
import { StatusSimulator, type PhoneIdentity } from './status-simulator';
import { checkTemplate } from './template-checker';
import { TemplateReviews } from './template-reviews';
import { readSubmission, SUBMISSION_SUBCODES } from './template-submission';
import { WebhookPoster } from './webhook-poster';

/** The WABA id numbers belong to unless configured otherwise. */
export const SANDBOX_WABA_ID = '100000000000001';
const MAX_BODY_BYTES = 1 << 20;
const VERSION = /^v\d+\.\d+$/;

type Api = 'cloud' | 'onprem';

export interface SandboxStats extends PhoneStats {
  webhookPosts: number;
  webhookPostFailures: number;
  /** Status/inbound events planned but not yet posted. */
  webhooksScheduled: number;
  onPremLogins: number;
}

/**
 * The sandbox's HTTP server: Cloud API and On-Premises API endpoints, the control endpoints under
 * /_sandbox, and the state behind them. Plain node:http, so one core takes well over 5,000 sends/s.
 */
export class SandboxServer {
  private config: SandboxConfig;
  private readonly ledger: Ledger;
  private readonly pairs = new PairRateLimiter();
  private readonly poster: WebhookPoster;
  private readonly simulator: StatusSimulator;
  private readonly reviews: TemplateReviews;
  private readonly onPremTokens = new Map<string, number>();
  private onPremLogins = 0;
  private readonly wamidPrefix = randomBytes(6).toString('base64url');
  private wamidSeq = 0;
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly initialConfig: SandboxConfig = defaultSandboxConfig()) {
    this.config = initialConfig;
    this.ledger = new Ledger(initialConfig.ledgerLimit);
    this.poster = new WebhookPoster(() => ({ ...this.config.webhook, shuffle: this.config.statuses.reorder }), this.ledger);
    this.simulator = new StatusSimulator(() => this.config, this.poster);
    this.reviews = new TemplateReviews(
      () => this.config.templateReview,
      (wabaId, value) => this.poster.postChange(wabaId, 'message_template_status_update', value),
    );
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.handle(req, res));
    this.server.headersTimeout = 66_000;
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  configure(patch: SandboxConfigPatch): SandboxConfig {
    this.config = mergeSandboxConfig(this.config, patch);
    this.ledger.setLimit(this.config.ledgerLimit);
    return this.config;
  }

  currentConfig(): SandboxConfig {
    return this.config;
  }

  /** Forgets every message, counter, pending webhook and login, and restores the startup configuration. */
  reset(): void {
    this.config = this.initialConfig;
    this.ledger.reset();
    this.pairs.reset();
    this.simulator.clear();
    this.reviews.clear();
    this.poster.clear();
    // Issued tokens stop working (a client must log in again) rather than becoming unknown ones.
    for (const token of this.onPremTokens.keys()) this.onPremTokens.set(token, 0);
    this.onPremLogins = 0;
  }

  ledgerEntries(options: { phoneNumberId?: string; sinceId?: number; limit?: number } = {}): {
    data: LedgerEntry[];
    nextSinceId: number | null;
  } {
    return this.ledger.list(options);
  }

  allLedgerEntries(): LedgerEntry[] {
    return this.ledger.all();
  }

  stats(phoneNumberId?: string): SandboxStats {
    return { ...this.ledger.stats(phoneNumberId), webhooksScheduled: this.simulator.scheduled, onPremLogins: this.onPremLogins };
  }

  /** Resolves once every planned webhook has fallen due and been posted. */
  async webhooksIdle(): Promise<void> {
    while (this.simulator.scheduled > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.poster.idle();
  }

  async close(): Promise<void> {
    this.simulator.clear();
    this.reviews.clear();
    await this.poster.close();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const parts = url.pathname.split('/').filter(Boolean);
      const method = req.method ?? 'GET';
      if (parts[0] === '_sandbox') return await this.control(method, parts[1], url, req, res);

      // On-Premises: /v1/... (one default number) or /onprem/{phone-number-id}/v1/... (one per base URL).
      let onPremPhone: string | undefined;
      let onPremPath: string[] | undefined;
      if (parts[0] === 'v1') [onPremPhone, onPremPath] = ['onprem', parts.slice(1)];
      else if (parts[0] === 'onprem' && parts[2] === 'v1') [onPremPhone, onPremPath] = [parts[1], parts.slice(3)];
      if (onPremPhone && onPremPath) {
        if (method === 'POST' && onPremPath.join('/') === 'users/login') return this.onPremLogin(req, res);
        if (method === 'POST' && onPremPath.join('/') === 'messages') return await this.send('onprem', onPremPhone, req, res);
        return send(res, 404, onPremError(1006, 'Resource not found', 404).body);
      }

      if (parts.length >= 2 && VERSION.test(parts[0])) {
        if (method === 'POST' && parts.length === 3 && parts[2] === 'messages') return await this.send('cloud', parts[1], req, res);
        if (method === 'GET' && parts.length === 3 && parts[2] === 'message_templates') return this.templates(parts[1], url, req, res);
        if (method === 'POST' && parts.length === 3 && parts[2] === 'message_templates')
          return await this.createTemplate(parts[1], req, res);
        if (method === 'GET' && parts.length === 2) return this.phoneInfo(parts[1], url, req, res);
      }
      answer(res, graphError(100, `Unknown path components: ${url.pathname}`, 400));
    } catch (error) {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: { message: String(error), type: 'SandboxError', code: 1 } }));
    }
  }

  private async send(api: Api, phoneNumberId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const config = this.config;
    const fail = (code: number, details?: string, httpStatus?: number) => {
      this.ledger.reject(phoneNumberId, code);
      answer(res, api === 'cloud' ? graphError(code, details, httpStatus) : onPremError(code, details, httpStatus));
    };

    const token = bearer(req);
    if (api === 'cloud' && !this.cloudTokenValid(token)) return fail(190);
    if (api === 'onprem' && !this.onPremTokenValid(token)) {
      this.ledger.reject(phoneNumberId, 1005);
      return answer(res, onPremError(1005, 'Invalid or expired token', 401, 'Access denied'));
    }

    const faults = config.faults;
    if (faults.timeoutRate > 0 && Math.random() < faults.timeoutRate) {
      this.ledger.reject(phoneNumberId, 'timeout');
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    const latency = faults.latencyMs + (faults.latencyJitterMs > 0 ? Math.random() * faults.latencyJitterMs : 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (faults.serverErrorRate > 0 && Math.random() < faults.serverErrorRate) {
      this.ledger.reject(phoneNumberId, 'http502');
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    for (const [code, rate] of Object.entries(faults.errorRates)) {
      if (rate > 0 && Math.random() < rate)
        return fail(Number(code), undefined, Number(code) === 130429 ? config.throttleHttpStatus : undefined);
    }

    let request: TemplateMessageRequest;
    try {
      request = JSON.parse(raw) as TemplateMessageRequest;
    } catch {
      return fail(100, 'The request body is not valid JSON');
    }
    const shapeProblem = checkShape(request);
    if (shapeProblem) return fail(100, shapeProblem);
    const recipient = request.to.replace(/^\+/, '');

    const rejectCode = config.rejectNumbers[recipient] ?? config.rejectNumbers[request.to];
    if (rejectCode !== undefined)
      return fail(rejectCode, `Sandbox: recipient ${recipient} is configured to be refused with ${rejectCode}.`);
    // A template submitted to this number's WABA is checked against itself (its review status too); others against the registry.
    const submitted = this.reviews.findForSend(
      this.config.phoneNumbers[phoneNumberId]?.wabaId,
      request.template.name,
      request.template.language.code,
    );
    const registry = submitted ? [submitted] : config.templates;
    if (registry) {
      const problem = checkTemplate(registry, request);
      if (problem) return fail(problem.code, problem.details);
    }
    const now = Date.now();
    if (this.ledger.acceptedInLastSecond(phoneNumberId, now) >= this.mpsOf(phoneNumberId))
      return fail(130429, undefined, config.throttleHttpStatus);
    if (config.pairRate && !this.pairs.tryAcquire(phoneNumberId, recipient, now, config.pairRate)) return fail(131056);

    const entry = this.ledger.accept({
      wamid: this.nextWamid(),
      phoneNumberId,
      api,
      to: request.to,
      template: { name: request.template.name, language: request.template.language.code },
      params: request.template.components ?? [],
      callbackData: request.biz_opaque_callback_data,
      acceptedAt: now,
    });
    const category = (
      submitted?.category ??
      config.templates?.find((t) => t.name === request.template.name)?.category ??
      'MARKETING'
    ).toLowerCase();
    const early = this.simulator.plan(entry, this.identity(phoneNumberId), category);
    if (early) await this.poster.postNow([early]);

    if (api === 'onprem')
      return send(res, 200, JSON.stringify({ messages: [{ id: entry.wamid }], meta: { api_status: 'stable', version: 'sandbox' } }));
    const body: SendMessageResponse = {
      messaging_product: 'whatsapp',
      contacts: [{ input: request.to, wa_id: recipient }],
      messages: [{ id: entry.wamid, message_status: 'accepted' }],
    };
    send(res, 200, JSON.stringify(body));
  }

  private onPremLogin(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [user, password] = colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : ['', ''];
    if (!user || this.config.onPremUsers[user] === undefined || this.config.onPremUsers[user] !== password) {
      return answer(res, onPremError(1005, 'Invalid username or password', 401, 'Access denied'));
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = Date.now() + this.config.onPremTokenTtlSeconds * 1000;
    this.onPremTokens.set(token, expiresAt);
    this.onPremLogins++;
    const expiresAfter = new Date(expiresAt)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '+00:00');
    const body: OnPremLoginResponse = {
      users: [{ token, expires_after: expiresAfter }],
      meta: { api_status: 'stable', version: 'sandbox' },
    };
    send(res, 200, JSON.stringify(body));
  }

  private phoneInfo(phoneNumberId: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (!this.cloudTokenValid(bearer(req))) return answer(res, graphError(190));
    const phone = this.config.phoneNumbers[phoneNumberId] ?? {};
    const identity = this.identity(phoneNumberId);
    const mps = this.mpsOf(phoneNumberId);
    const full: PhoneNumberResponse = {
      id: phoneNumberId,
      display_phone_number: identity.displayPhoneNumber,
      verified_name: phone.verifiedName ?? 'Clarion Sandbox',
      quality_rating: phone.qualityRating ?? 'GREEN',
      messaging_limit_tier: phone.messagingLimitTier ?? 'TIER_100K',
      ...(phone.portfolioMessagingLimit === null
        ? {}
        : { whatsapp_business_manager_messaging_limit: phone.portfolioMessagingLimit ?? phone.messagingLimitTier ?? 'TIER_100K' }),
      throughput: { level: mps >= 1000 ? 'HIGH' : 'STANDARD' },
      platform_type: 'CLOUD_API',
      code_verification_status: 'VERIFIED',
    };
    const fields = url.searchParams.get('fields');
    const body: Record<string, unknown> = { id: phoneNumberId };
    if (fields) for (const field of fields.split(',')) body[field.trim()] = (full as unknown as Record<string, unknown>)[field.trim()];
    send(res, 200, JSON.stringify(fields ? body : full));
  }

  private templates(wabaId: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (!this.cloudTokenValid(bearer(req))) return answer(res, graphError(190));
    const submitted = this.reviews.list(wabaId);
    const registry = (this.config.templates ?? []).filter((t) => !submitted.some((s) => s.name === t.name && s.language === t.language));
    const all = [...registry, ...submitted];
    const limit = Math.max(
      1,
      Math.min(Number(url.searchParams.get('limit')) || this.config.templatesPageSize, this.config.templatesPageSize),
    );
    const after = url.searchParams.get('after');
    const start = after ? Number(Buffer.from(after, 'base64url').toString()) || 0 : 0;
    const page = all.slice(start, start + limit);
    const body: MessageTemplatesResponse = {
      data: page.map(({ wabaId: _waba, ...t }: SandboxTemplate & { wabaId?: string }) => ({
        id: templateId(t.name, t.language),
        status: 'APPROVED',
        parameter_format: 'POSITIONAL',
        ...t,
      })),
      paging: {
        cursors: {
          before: Buffer.from(String(start)).toString('base64url'),
          after: Buffer.from(String(start + page.length)).toString('base64url'),
        },
      },
    };
    if (start + limit < all.length) {
      const next = new URL(`http://${req.headers.host ?? '127.0.0.1'}${url.pathname}`);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', Buffer.from(String(start + limit)).toString('base64url'));
      body.paging!.next = next.toString();
    }
    send(res, 200, JSON.stringify(body));
  }

  /**
   * `POST /{waba-id}/message_templates`: Meta's review of a submission. A well-formed one (with
   * the examples its variables need) is answered `{ id, status: "PENDING", category }` and
   * reviewed after `templateReview.delayMs` (see TemplateReviews); a malformed one gets Meta's
   * error 100 with the subcode and user-facing message saying what is wrong.
   */
  private async createTemplate(wabaId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (!this.cloudTokenValid(bearer(req))) return answer(res, graphError(190));
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(res, graphError(100, 'The request body is not valid JSON'));
    }
    const template = readSubmission(body);
    if (!('name' in template)) return answer(res, templateError(template));
    if (this.reviews.find(wabaId, template.name, template.language))
      return answer(
        res,
        templateError({
          subcode: SUBMISSION_SUBCODES.exists,
          title: 'Content in this language already exists',
          message: `There is already ${template.language} content for template ${template.name}. Create a new template or add a different language.`,
        }),
      );
    const submitted = this.reviews.submit(wabaId, templateId(`${wabaId}|${template.name}`, template.language), template);
    send(res, 200, JSON.stringify({ id: submitted.id, status: submitted.status, category: submitted.category }));
  }

  private async control(method: string, action: string | undefined, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const phoneNumberId = url.searchParams.get('phoneNumberId') ?? undefined;
    if (method === 'GET' && action === 'ledger') {
      const sinceId = url.searchParams.has('sinceId') ? Number(url.searchParams.get('sinceId')) : undefined;
      const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : undefined;
      return send(res, 200, JSON.stringify(this.ledger.list({ phoneNumberId, sinceId, limit })));
    }
    if (method === 'GET' && action === 'stats') return send(res, 200, JSON.stringify(this.stats(phoneNumberId)));
    if (method === 'GET' && action === 'config') return send(res, 200, JSON.stringify(this.config));
    if (method === 'POST' && action === 'config') {
      let patch: SandboxConfigPatch;
      try {
        patch = JSON.parse((await readBody(req)) || '{}') as SandboxConfigPatch;
      } catch {
        return send(res, 400, JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'config must be a JSON object' }));
      }
      return send(res, 200, JSON.stringify(this.configure(patch)));
    }
    if (method === 'POST' && action === 'template-status') {
      let change: { wabaId?: string; name?: string; language?: string; event?: string; reason?: string };
      try {
        change = JSON.parse((await readBody(req)) || '{}') as typeof change;
      } catch {
        change = {};
      }
      const template =
        change.name && change.language && change.event
          ? await this.reviews.setStatus(change.wabaId ?? SANDBOX_WABA_ID, change.name, change.language, change.event, change.reason)
          : undefined;
      if (!template)
        return send(
          res,
          404,
          JSON.stringify({
            statusCode: 404,
            error: 'Not Found',
            message:
              'give { wabaId, name, language, event: APPROVED|REJECTED|PAUSED|DISABLED|REINSTATED, reason? } of a submitted template',
          }),
        );
      return send(res, 200, JSON.stringify(template));
    }
    if (method === 'POST' && action === 'reset') {
      req.resume();
      this.reset();
      return send(res, 200, JSON.stringify({ ok: true }));
    }
    req.resume();
    send(
      res,
      404,
      JSON.stringify({ statusCode: 404, error: 'Not Found', message: `no sandbox control endpoint ${method} /_sandbox/${action ?? ''}` }),
    );
  }

  private cloudTokenValid(token: string | undefined): boolean {
    if (!token) return false;
    return this.config.accessTokens === null || this.config.accessTokens.includes(token);
  }

  private onPremTokenValid(token: string | undefined): boolean {
    if (!token) return false;
    const expiresAt = this.onPremTokens.get(token);
    if (expiresAt !== undefined) return expiresAt > Date.now();
    return this.config.accessTokens === null || this.config.accessTokens.includes(token);
  }

  private mpsOf(phoneNumberId: string): number {
    return this.config.phoneNumbers[phoneNumberId]?.mps ?? this.config.defaultMps;
  }

  private identity(phoneNumberId: string): PhoneIdentity {
    const phone = this.config.phoneNumbers[phoneNumberId];
    const digits = phoneNumberId.replace(/\D/g, '').slice(-7).padStart(7, '0');
    return { phoneNumberId, displayPhoneNumber: phone?.displayPhoneNumber ?? `1555${digits}`, wabaId: phone?.wabaId ?? SANDBOX_WABA_ID };
  }

  private nextWamid(): string {
    return `wamid.HBgL${this.wamidPrefix}${(++this.wamidSeq).toString(36).padStart(8, '0')}`;
  }
}

function checkShape(request: TemplateMessageRequest): string | undefined {
  if (!request || typeof request !== 'object') return 'The request body must be a JSON object';
  if (request.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (typeof request.to !== 'string' || !/^\+?\d{6,15}$/.test(request.to)) return 'to must be a phone number';
  if (request.type !== 'template') return 'the sandbox accepts template messages only (type must be "template")';
  if (!request.template || typeof request.template.name !== 'string' || typeof request.template.language?.code !== 'string') {
    return 'template.name and template.language.code are required';
  }
  if (request.template.components !== undefined && !Array.isArray(request.template.components))
    return 'template.components must be an array';
  return undefined;
}

function templateId(name: string, language: string): string {
  return String(BigInt(`0x${createHash('sha1').update(`${name}|${language}`).digest('hex').slice(0, 13)}`));
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, error: ErrorAnswer): void {
  send(res, error.httpStatus, error.body);
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
