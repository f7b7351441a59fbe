import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { DomainError } from '@clarion/common';
import type { AuthenticatedRequest } from '../auth.guard';

/**
 * The generous overall limit per API token or console session (RATE_LIMIT_REQUESTS_PER_MINUTE),
 * across all routes. Runs after the AuthGuard; routes without a caller (health, metrics, docs,
 * Meta's webhooks, sign-in) are not counted here.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  }

  /** A limiter that cannot reach Redis lets the request through rather than failing it. */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.logger.warn(`request limit not checked, Redis did not answer: ${(error as Error).message}`);
      return true;
    }
  }

  protected override async getTracker(request: AuthenticatedRequest): Promise<string> {
    const caller = request.principal!;
    return caller.kind === 'user' ? `session:${caller.sessionId}` : `token:${caller.tokenId}`;
  }

  /** One counter per caller for the whole API, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw DomainError.rateLimited(`too many requests: this caller may make ${detail.limit} a minute`, detail.timeToBlockExpire);
  }
}
