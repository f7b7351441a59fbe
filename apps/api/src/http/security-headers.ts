import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every answer (helmet's defaults: nosniff, frame and referrer policies,
 * HSTS, …) and a Content-Security-Policy that lets a page run only this site's own scripts. The
 * console is a Vite build whose scripts are files under /assets; Mantine, like Swagger UI at
 * /docs, sets inline styles, hence 'unsafe-inline' for styles only. Swagger UI's scripts are files
 * too, so /docs needs nothing looser.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
        // No upgrade-insecure-requests: a console reached over plain http (localhost) would
        // have its own scripts rewritten to https and fail to load.
      },
    },
  });
}
