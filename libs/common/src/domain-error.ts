/**
 * Domain errors carry a code, never an HTTP status: the API's exception filter maps
 * codes to statuses at the edge, workers decide on retries from the same codes.
 */
export enum ErrorCode {
  Validation = 'VALIDATION',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  InvalidState = 'INVALID_STATE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMedia = 'UNSUPPORTED_MEDIA',
  Upstream = 'UPSTREAM',
  RateLimited = 'RATE_LIMITED',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string | number): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} ${id} not found`);
  }

  static validation(message: string, details?: Record<string, unknown>): DomainError {
    return new DomainError(ErrorCode.Validation, message, details);
  }

  static conflict(message: string): DomainError {
    return new DomainError(ErrorCode.Conflict, message);
  }

  static invalidState(message: string): DomainError {
    return new DomainError(ErrorCode.InvalidState, message);
  }

  /** Too many requests: `retryAfterSeconds` becomes the answer's Retry-After header. */
  static rateLimited(message: string, retryAfterSeconds: number): DomainError {
    return new DomainError(ErrorCode.RateLimited, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
  }
}
