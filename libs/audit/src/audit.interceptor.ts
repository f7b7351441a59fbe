import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { Principal } from '@clarion/auth';
import { AUDITED_KEY, AuditedMetadata } from './audited.decorator';
import { AuditEntry, AuditLogRepository } from './audit-log.repository';
import { diff, redact } from './redact';

type AuditedRequest = Request & { principal?: Principal };

function actorOf(principal: Principal | undefined): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName'> {
  if (principal?.kind === 'user') return { actorType: 'user', actorId: String(principal.userId), actorName: principal.email };
  if (principal?.kind === 'token') return { actorType: 'token', actorId: String(principal.tokenId), actorName: principal.name };
  return { actorType: 'anonymous', actorId: null, actorName: null };
}

/** A domain error's code (UNAUTHORIZED, RATE_LIMITED, …), else the HTTP status. */
function errorOf(error: unknown): string {
  const e = error as { code?: unknown; getStatus?: () => number };
  if (typeof e?.code === 'string') return e.code;
  return e?.getStatus ? String(e.getStatus()) : 'error';
}

function idOf(value: unknown): string | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

/**
 * Records every call of an `@Audited` handler in the audit log, at the controller edge, so no
 * service has to: the caller (user or token), the action, the target, what changed (the target's
 * row before and after, or the request's body), the client's address. The answer waits for the
 * row; a failure to write it is logged, never turned into an error for a call that succeeded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly log: AuditLogRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const meta = this.reflector.get<AuditedMetadata | undefined>(AUDITED_KEY, context.getHandler());
    if (!meta || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const paramId = typeof request.params?.id === 'string' ? request.params.id : null;
    const base = () => ({ address: request.ip ?? null, targetType: meta.target ?? null });

    return from(meta.table && paramId ? this.snapshot(meta.table, paramId) : Promise.resolve(null)).pipe(
      mergeMap((before) =>
        next.handle().pipe(
          mergeMap((answer) => from(this.succeeded(meta, request, before, answer, paramId).then(() => answer))),
          catchError((error: unknown) => {
            if (!meta.failedAction) return throwError(() => error);
            const attempted = (request.body as { email?: unknown })?.email;
            return from(
              this.write({
                ...base(),
                actorType: 'anonymous',
                actorId: null,
                actorName: typeof attempted === 'string' ? attempted.trim().toLowerCase() : null,
                action: meta.failedAction,
                outcome: 'failed',
                targetId: paramId,
                before: null,
                after: { error: errorOf(error) },
              }),
            ).pipe(mergeMap(() => throwError(() => error)));
          }),
        ),
      ),
    );
  }

  private async succeeded(
    meta: AuditedMetadata,
    request: AuditedRequest,
    before: Record<string, unknown> | null,
    answer: unknown,
    paramId: string | null,
  ) {
    const targetId = paramId ?? idOf(answer);
    let change: { before: unknown; after: unknown };
    if (meta.table && targetId) change = diff(before, await this.snapshot(meta.table, targetId));
    else if (request.method === 'GET')
      change = { before: null, after: Object.keys(request.query ?? {}).length ? redact(request.query) : null };
    else change = { before: null, after: request.body && Object.keys(request.body).length ? redact(request.body) : null };
    // A sign-in has no caller yet: the person is the one it signed in.
    const actor =
      request.principal || !idOf(answer)
        ? actorOf(request.principal)
        : { actorType: 'user' as const, actorId: idOf(answer), actorName: (answer as { email?: string }).email ?? null };
    await this.write({
      ...actor,
      action: meta.action,
      outcome: 'succeeded',
      targetType: meta.target ?? null,
      targetId,
      ...change,
      address: request.ip ?? null,
    });
  }

  private async snapshot(table: string, id: string): Promise<Record<string, unknown> | null> {
    try {
      return await this.log.snapshot(table, id);
    } catch (err) {
      this.logger.warn({ table, err: (err as Error).message }, 'audit snapshot failed');
      return null;
    }
  }

  private async write(entry: AuditEntry): Promise<void> {
    try {
      await this.log.append(entry);
    } catch (err) {
      this.logger.error({ action: entry.action, err: (err as Error).message }, 'audit log row not written');
    }
  }
}
