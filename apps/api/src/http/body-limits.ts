import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { MAX_WEBHOOK_BYTES } from '@clarion/webhooks';

/** JSON bodies of ordinary routes: commands and filters, never bulk data (uploads are multipart). */
export const JSON_BODY_LIMIT = 1024 * 1024;
const WEBHOOK_PATH = '/webhooks/whatsapp';

/**
 * JSON parsing per route: 1 MB for ordinary routes; Meta's webhooks get MAX_WEBHOOK_BYTES and
 * are the only requests whose raw bytes are kept (their signature is computed over them). A
 * body whose Content-Length is over its route's limit is refused with 413 at once, unread.
 * Multipart uploads are not parsed here: their controllers stream them under MAX_UPLOAD_MB.
 * Nest's default parsers, registered after this one at init, find every JSON body read already
 * (they parse only urlencoded forms); Nest's `rawBody` option is not needed, and would keep the
 * raw bytes of every such form as well.
 */
export function jsonBodies(): RequestHandler {
  const ordinary = json({ limit: JSON_BODY_LIMIT });
  const webhook = json({
    limit: MAX_WEBHOOK_BYTES,
    verify: (req, _res, buf) => {
      (req as Request & { rawBody?: Buffer }).rawBody = buf;
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const isWebhook = req.path === WEBHOOK_PATH || req.path.startsWith(`${WEBHOOK_PATH}/`);
    const limit = isWebhook ? MAX_WEBHOOK_BYTES : JSON_BODY_LIMIT;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (req.is('application/json') && Number.isFinite(declared) && declared > limit) {
      res.setHeader('Connection', 'close');
      res.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: `request body is larger than ${limit} bytes` });
      return;
    }
    (isWebhook ? webhook : ordinary)(req, res, next);
  };
}
