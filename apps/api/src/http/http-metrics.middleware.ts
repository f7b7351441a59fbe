import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { metrics } from '@clarion/observability';

/** Nest mounts middleware (this one too) on catch-all routes: a request that ends on one reached no controller. */
const CATCH_ALL = new Set(['*', '/*', '(.*)', '/(.*)']);

/**
 * Times every request into `clarion_http_request_seconds` by method, route and status. The
 * route is the matched pattern (`/v1/broadcasts/:id`), never the raw path, so ids and query
 * strings cannot multiply the series; requests no controller took (404s, bodies refused before
 * routing) count under `unmatched`.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const end = metrics.httpRequests.startTimer();
    res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  }
}

function routeOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || CATCH_ALL.has(path)) return 'unmatched';
  // `:id(\d+)` reads as `:id`: the pattern names the route, its regular expression does not.
  return `${req.baseUrl}${path}`.replace(/\([^)]*\)/g, '');
}
