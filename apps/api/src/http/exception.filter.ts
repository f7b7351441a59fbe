import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, ErrorCode } from '@clarion/common';

const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.InvalidState]: HttpStatus.CONFLICT,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMedia]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.Upstream]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
};

/** Errors body-parser raises before a controller runs, by their `type`. */
const BODY_PARSER_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'request body is not valid JSON'],
  'entity.too.large': [413, 'request body is too large'],
  'encoding.unsupported': [415, 'request body encoding is not supported'],
  'charset.unsupported': [415, 'request body charset is not supported'],
  'request.aborted': [400, 'request was aborted by the client'],
};

/**
 * The API's one exception filter: every error leaves as `{ statusCode, error, message }`.
 * Domain errors are mapped by code; anything unexpected is a logged 500 with no details.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [statusCode, message, details] = this.describe(exception);
    if (statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    if (exception instanceof DomainError && exception.code === ErrorCode.RateLimited) {
      response.setHeader('Retry-After', String(exception.details?.retryAfterSeconds ?? 1));
    }
    response.status(statusCode).json({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(details ? { details } : {}) });
  }

  private describe(exception: unknown): [number, string | string[], Record<string, unknown>?] {
    if (exception instanceof DomainError) return [STATUS_OF[exception.code], exception.message, exception.details];
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
      return [exception.getStatus(), message];
    }
    const type = (exception as { type?: string } | null)?.type;
    if (type && BODY_PARSER_ERRORS[type]) return BODY_PARSER_ERRORS[type];
    return [500, 'internal error; it has been logged'];
  }
}
