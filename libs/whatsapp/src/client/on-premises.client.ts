import type { OnPremLoginResponse } from '../payloads';
import { HttpPools, splitBaseUrl } from './http-pools';
import { errorFromBody, errorFromException, parseSendResponse } from './send-response';
import { buildTemplateRequest } from './template-request';
import {
  ErrorClass,
  type SenderCredentials,
  type SendOutcome,
  type TemplateMessage,
  type WhatsAppClient,
  type WhatsAppError,
} from './types';

/** Renew a login token this long before its `expires_after` (tokens last 7 days on On-Premises). */
const RENEW_BEFORE_MS = 10 * 60_000;

interface Session {
  token: string;
  expiresAt: number;
}

/**
 * Sends through an On-Premises API (or a BSP gateway speaking it): `POST {baseUrl}/v1/messages`.
 *
 * How a sender's `accessToken` is read: `"username:password"` (a colon inside) means "log in":
 * the client calls `POST {baseUrl}/v1/users/login` with basic auth, caches the token and logs in
 * again before `expires_after` (or at once after a 401). Anything else is used as the bearer token
 * as is (On-Premises tokens are JWT-like and hold no colon).
 */
export class OnPremisesClient implements WhatsAppClient {
  private readonly sessions = new Map<string, Session>();
  private readonly logins = new Map<string, Promise<Session>>();

  constructor(
    private readonly pools: HttpPools,
    private readonly now: () => number = Date.now,
  ) {}

  async sendTemplate(sender: SenderCredentials, message: TemplateMessage): Promise<SendOutcome> {
    if (!sender.baseUrl) {
      return {
        ok: false,
        error: { code: 0, title: 'AuthException', message: `sender ${sender.id} has no On-Premises baseUrl`, errorClass: ErrorClass.Auth },
      };
    }
    const body = JSON.stringify(buildTemplateRequest(message));
    try {
      let outcome = await this.post(sender, body);
      if (typeof outcome === 'object' && 'staleToken' in outcome) outcome = await this.post(sender, body, outcome.staleToken);
      return 'staleToken' in outcome ? { ok: false, error: errorFromBody(401, undefined) } : outcome;
    } catch (error) {
      if (error instanceof LoginFailed) return { ok: false, error: error.error };
      return { ok: false, error: errorFromException(error) };
    }
  }

  /** One attempt; `{ staleToken }` when a login token was refused (401) and a new login may help. */
  private async post(sender: SenderCredentials, body: string, refused?: string): Promise<SendOutcome | { staleToken: string }> {
    const credentials = loginCredentials(sender.accessToken);
    const token = credentials ? (await this.session(sender, credentials, refused)).token : sender.accessToken;
    const { origin, pathPrefix } = splitBaseUrl(sender.baseUrl!);
    const response = await this.pools.for(origin).request({
      method: 'POST',
      path: `${pathPrefix}/v1/messages`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const text = await response.body.text();
    if (response.statusCode === 401 && credentials && refused === undefined) return { staleToken: token };
    return parseSendResponse(response.statusCode, text);
  }

  /**
   * The cached login, renewed when it nears expiry or when it is the token just refused (`refused`).
   * Concurrent callers share one login; sends refused with an already-replaced token just use the new one.
   */
  private async session(sender: SenderCredentials, credentials: string, refused?: string): Promise<Session> {
    const key = `${sender.baseUrl}\u0000${credentials}`;
    const cached = this.sessions.get(key);
    if (cached && cached.token !== refused && cached.expiresAt - RENEW_BEFORE_MS > this.now()) return cached;
    let pending = this.logins.get(key);
    if (!pending) {
      pending = this.login(sender.baseUrl!, credentials).finally(() => this.logins.delete(key));
      this.logins.set(key, pending);
    }
    const session = await pending;
    this.sessions.set(key, session);
    return session;
  }

  private async login(baseUrl: string, credentials: string): Promise<Session> {
    const { origin, pathPrefix } = splitBaseUrl(baseUrl);
    const response = await this.pools.for(origin).request({
      method: 'POST',
      path: `${pathPrefix}/v1/users/login`,
      headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const text = await response.body.text();
    let parsed: OnPremLoginResponse | undefined;
    try {
      parsed = JSON.parse(text) as OnPremLoginResponse;
    } catch {
      parsed = undefined;
    }
    const user = parsed?.users?.[0];
    if (response.statusCode >= 300 || !user?.token) {
      const error = errorFromBody(response.statusCode, parsed);
      // A refused login is the sender's credentials being wrong, whatever code the gateway chose.
      throw new LoginFailed(response.statusCode === 401 || response.statusCode === 403 ? { ...error, errorClass: ErrorClass.Auth } : error);
    }
    const expiresAt = Date.parse(user.expires_after.replace(' ', 'T'));
    return { token: user.token, expiresAt: Number.isNaN(expiresAt) ? this.now() + 60 * 60_000 : expiresAt };
  }
}

class LoginFailed extends Error {
  constructor(readonly error: WhatsAppError) {
    super(error.message);
  }
}

function loginCredentials(accessToken: string): string | undefined {
  return accessToken.includes(':') ? accessToken : undefined;
}
