import { ErrorClass } from './types';

/**
 * Meta's error codes Clarion knows, with Meta's title and the class Clarion files them under.
 * Source: Meta's "Error codes" page (developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 * The class is decided by `error.code` only: Meta answers 130429 with HTTP 400 or 429 alike.
 * docs/whatsapp-errors.md is the human-readable copy of this table.
 */
export const KNOWN_ERROR_CODES: ReadonlyMap<number, { title: string; errorClass: ErrorClass }> = new Map([
  [130429, { title: 'Rate limit hit', errorClass: ErrorClass.Throughput }],
  [4, { title: 'API Too Many Calls', errorClass: ErrorClass.Throughput }],
  [80007, { title: 'Rate limit issues', errorClass: ErrorClass.Throughput }],

  [131056, { title: '(Business Account, Consumer Account) pair rate limit hit', errorClass: ErrorClass.PairRate }],

  [1, { title: 'API Unknown', errorClass: ErrorClass.Transient }],
  [2, { title: 'API Service', errorClass: ErrorClass.Transient }],
  [131000, { title: 'Something went wrong', errorClass: ErrorClass.Transient }],
  [131016, { title: 'Service unavailable', errorClass: ErrorClass.Transient }],
  [131057, { title: 'Account in maintenance mode', errorClass: ErrorClass.Transient }],
  [133004, { title: 'Server temporarily unavailable', errorClass: ErrorClass.Transient }],
  [133015, { title: 'Please wait a few minutes before sending a message to this number', errorClass: ErrorClass.Transient }],

  [131049, { title: 'This message was not delivered to maintain healthy ecosystem engagement', errorClass: ErrorClass.FrequencyCap }],

  [131048, { title: 'Spam rate limit hit', errorClass: ErrorClass.SpamLimit }],

  [131026, { title: 'Message Undeliverable', errorClass: ErrorClass.Permanent }],
  [131047, { title: 'Re-engagement message', errorClass: ErrorClass.Permanent }],
  [131050, { title: 'User has stopped marketing messages', errorClass: ErrorClass.Permanent }],
  [131051, { title: 'Unsupported message type', errorClass: ErrorClass.Permanent }],
  [132000, { title: 'Template Param Count Mismatch', errorClass: ErrorClass.Permanent }],
  [132001, { title: 'Template does not exist', errorClass: ErrorClass.Permanent }],
  [132012, { title: 'Template Parameter Format Mismatch', errorClass: ErrorClass.Permanent }],
  [132015, { title: 'Template is Paused', errorClass: ErrorClass.Permanent }],
  [132016, { title: 'Template is Disabled', errorClass: ErrorClass.Permanent }],
  [132018, { title: 'Template Parameter Issue', errorClass: ErrorClass.Permanent }],
  [368, { title: 'Temporarily blocked for policies violations', errorClass: ErrorClass.Permanent }],

  [0, { title: 'AuthException', errorClass: ErrorClass.Auth }],
  [3, { title: 'API Method', errorClass: ErrorClass.Auth }],
  [10, { title: 'Permission Denied', errorClass: ErrorClass.Auth }],
  [190, { title: 'Access token has expired', errorClass: ErrorClass.Auth }],
]);

/**
 * On-Premises API codes (its own numbering, `errors[].code`), for BSP gateways that still speak it.
 * Titles from the On-Premises error reference; the numbers agree with Twilio's published mapping
 * (1015/429/471 → rate limited, 1011/1014/1016 → internal, 1005 → access denied).
 */
export const ON_PREMISES_ERROR_CODES: ReadonlyMap<number, { title: string; errorClass: ErrorClass }> = new Map([
  [429, { title: 'Too many requests', errorClass: ErrorClass.Throughput }],
  [1015, { title: 'Too many requests', errorClass: ErrorClass.Throughput }],
  [471, { title: 'Spam rate limit hit', errorClass: ErrorClass.SpamLimit }],
  [1011, { title: 'Service not ready', errorClass: ErrorClass.Transient }],
  [1014, { title: 'Internal error', errorClass: ErrorClass.Transient }],
  [1016, { title: 'System overloaded', errorClass: ErrorClass.Transient }],
  [1005, { title: 'Access denied', errorClass: ErrorClass.Auth }],
]);

/**
 * Failures about the recipient itself, which a later send of any message fails again:
 * 131026 (not a WhatsApp user, or a number that cannot receive) and 131050 (the user stopped
 * marketing messages: an opt-out at Meta). Everything else (throttling, outages, the sender's
 * tokens, a template paused or mistyped) can succeed on a retry once its cause is gone.
 */
export const FAILS_AGAIN_ON_RETRY: ReadonlySet<number> = new Set([131026, 131050]);

/** Codes Clarion gives to failures that never reached Meta's error envelope (negative: Meta's are ≥ 0). */
export const LocalErrorCode = {
  /** Connection refused/reset, DNS failure, TLS failure. */
  Connection: -1,
  /** No answer within the connect, headers or body timeout. */
  Timeout: -2,
  /** An HTTP error whose body is not a Graph error (e.g. a proxy's 502 page). */
  HttpStatus: -3,
} as const;

/**
 * The class of a refused send, from Meta's `error.code`. The HTTP status only matters for
 * codes Clarion does not know: a 5xx is then transient, anything else permanent.
 */
export function classifyError(code: number, httpStatus?: number): ErrorClass {
  const known = KNOWN_ERROR_CODES.get(code);
  if (known) return known.errorClass;
  if (code >= 200 && code <= 299) return ErrorClass.Auth; // "API Permission" family
  if (code === LocalErrorCode.Connection || code === LocalErrorCode.Timeout) return ErrorClass.Transient;
  if (httpStatus !== undefined && httpStatus >= 500) return ErrorClass.Transient;
  return ErrorClass.Permanent;
}

/** Class of an On-Premises `errors[].code`: its own codes first, then the Cloud table (gateways mix them). */
export function classifyOnPremisesError(code: number, httpStatus?: number): ErrorClass {
  return ON_PREMISES_ERROR_CODES.get(code)?.errorClass ?? classifyError(code, httpStatus);
}

/** Meta's title for a known code (used when an error body carries none). */
export function titleOf(code: number): string | undefined {
  if (code >= 200 && code <= 299) return 'API Permission';
  return KNOWN_ERROR_CODES.get(code)?.title;
}
