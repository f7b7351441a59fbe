import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from './principal';
import { Role } from './role';

export const ROLES_KEY = 'clarion:roles';
export const PUBLIC_KEY = 'clarion:public';

/**
 * Roles allowed on a handler or controller; admin is always allowed. A handler without
 * `@Roles` is admin-only, so forgetting it fails closed.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No token needed: health, metrics, docs and Meta's webhooks (which are signed instead). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Everyone may read; analysts may only read. */
export const ReadRoles = [Role.Marketer, Role.Analyst] as const;

/** The caller, as the auth guard attached it (undefined only on `@Public()` routes). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
