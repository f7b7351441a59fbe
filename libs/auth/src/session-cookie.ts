import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'clarion_session';

/** The header a cookie-authenticated state change must carry: a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'clarion';

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure when the
 * request came over HTTPS — behind a proxy that needs `TRUST_PROXY` so Express believes
 * its X-Forwarded-Proto.
 */
export function sessionCookieOptions(request: Request, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.secure, ...(expires ? { expires } : {}) };
}

export function sessionCookieOf(request: Request): string | undefined {
  const value = (request.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
