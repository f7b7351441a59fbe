import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ApiTokensService } from './api-tokens.service';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { Principal } from './principal';
import { Role } from './role';
import { FailureLimiter } from './rate-limits/failure-limiter';
import { CSRF_HEADER, CSRF_HEADER_VALUE, SESSION_COOKIE, sessionCookieOf, sessionCookieOptions } from './session-cookie';
import { SessionsService } from './sessions.service';

export type AuthenticatedRequest = Request & { principal?: Principal };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route but `@Public()` ones: an API token (`Authorization: Bearer`) or a console session
 * (the `clarion_session` cookie), then the route's roles. The bearer token wins when both are sent.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokensService,
    private readonly sessions: SessionsService,
    private readonly limiter: FailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request, context.switchToHttp().getResponse<Response>());
    request.principal = principal;

    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (principal.role === Role.Admin || allowed.includes(principal.role)) return true;
    throw new ForbiddenException(`the ${principal.role} role may not do this`);
  }

  /** Unknown tokens and sessions are counted per address: past RATE_LIMIT_AUTH_FAILURES_PER_ADDRESS, 429. */
  private async authenticate(request: Request, response: Response): Promise<Principal> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedException('malformed Authorization header: send Authorization: Bearer <token>');
      const principal = await this.tokens.authenticate(match[1]);
      if (!principal) {
        await this.limiter.recordFailedAuthentication(request.ip);
        throw new UnauthorizedException('unknown, expired or revoked API token');
      }
      return principal;
    }
    const cookie = sessionCookieOf(request);
    if (cookie === undefined) {
      throw new UnauthorizedException('missing bearer token: send Authorization: Bearer <token>, or sign in with POST /v1/auth/login');
    }
    const principal = await this.sessions.authenticate(cookie);
    if (!principal) {
      response.clearCookie(SESSION_COOKIE, sessionCookieOptions(request));
      await this.limiter.recordFailedAuthentication(request.ip);
      throw new UnauthorizedException('your session has ended: sign in again');
    }
    // A cross-site page can make the browser send the cookie, but not a custom header.
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
      throw new ForbiddenException(
        `a request signed in with the session cookie that changes something must send the header X-Requested-With: ${CSRF_HEADER_VALUE}`,
      );
    }
    return principal;
  }
}
