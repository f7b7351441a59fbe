import type { GraphErrorBody, OnPremSendResponse, SendMessageResponse } from '../payloads';
import { classifyError, classifyOnPremisesError, LocalErrorCode, titleOf } from './error-classification';
import { ErrorClass, type SendOutcome, type WhatsAppError } from './types';

/**
 * Reads the answer to a send (Cloud API or On-Premises API) into a classified outcome.
 * Never throws: an unreadable answer is an error outcome too.
 */
export function parseSendResponse(httpStatus: number, text: string): SendOutcome {
  const body = parseJson(text);
  if (httpStatus >= 200 && httpStatus < 300) {
    const id = (body as SendMessageResponse | OnPremSendResponse | undefined)?.messages?.[0]?.id;
    if (typeof id === 'string' && id.length > 0) return { ok: true, wamid: id };
  }
  return { ok: false, error: errorFromBody(httpStatus, body) };
}

/** Longest text kept from one field of an error body (the ledger's error_detail holds 1,000). */
const FIELD_MAX = 500;

/** A string field of an error body, trimmed and capped; anything else (objects, numbers, huge junk) is dropped. */
function field(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text.length === 0 ? undefined : text.slice(0, FIELD_MAX);
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * The classified error a non-2xx Graph or On-Premises answer carries. Only the fields of Meta's
 * error object are read (message, type, code, error_subcode, error_data, error_user_title/msg,
 * fbtrace_id; On-Premises: code, title, details): whatever else a gateway answers with, an HTML
 * page or a dump of its own, is never kept in a recipient's error_detail or a log.
 */
export function errorFromBody(httpStatus: number, body: unknown): WhatsAppError {
  const graph = (body as GraphErrorBody | undefined)?.error;
  if (graph && typeof graph === 'object' && typeof graph.code === 'number') {
    const error: WhatsAppError = {
      code: graph.code,
      title: titleOf(graph.code) ?? field(graph.error_user_title) ?? field(graph.type) ?? 'Error',
      message: field(graph.message) ?? '',
      details: field(graph.error_data?.details) ?? field(graph.error_user_msg),
      httpStatus,
      errorClass: classifyError(graph.code, httpStatus),
    };
    const subcode = integer(graph.error_subcode);
    if (subcode !== undefined) error.subcode = subcode;
    const fbtraceId = field(graph.fbtrace_id);
    if (fbtraceId !== undefined) error.fbtraceId = fbtraceId;
    return error;
  }
  const onPrem = (body as OnPremSendResponse | undefined)?.errors?.[0];
  if (onPrem && typeof onPrem.code === 'number') {
    return {
      code: onPrem.code,
      title: field(onPrem.title) ?? titleOf(onPrem.code) ?? 'Error',
      message: field(onPrem.title) ?? '',
      details: field(onPrem.details),
      httpStatus,
      errorClass: classifyOnPremisesError(onPrem.code, httpStatus),
    };
  }
  const success = httpStatus >= 200 && httpStatus < 300;
  return {
    code: LocalErrorCode.HttpStatus,
    title: success ? 'Unexpected response' : `HTTP ${httpStatus}`,
    message: success ? 'the answer carries no message id' : `HTTP ${httpStatus} without a WhatsApp error body`,
    httpStatus,
    errorClass: fallbackClass(httpStatus),
  };
}

/** The classified error for a request that got no HTTP answer (connection failure or timeout). */
export function errorFromException(error: unknown): WhatsAppError {
  const code = (error as { code?: string })?.code ?? '';
  const timeout = /TIMEOUT/.test(code);
  const local = timeout ? LocalErrorCode.Timeout : LocalErrorCode.Connection;
  return {
    code: local,
    title: timeout ? 'Timeout' : 'Connection error',
    message: error instanceof Error ? error.message : String(error),
    details: code || undefined,
    errorClass: classifyError(local),
  };
}

/**
 * Without an error code only the status is left to go by: 401/403 from a gateway mean its
 * credentials are refused; a 2xx without an id may have gone out, so it is never retried blindly.
 */
function fallbackClass(httpStatus: number): ErrorClass {
  if (httpStatus === 401 || httpStatus === 403) return ErrorClass.Auth;
  return classifyError(LocalErrorCode.HttpStatus, httpStatus >= 200 && httpStatus < 300 ? 400 : httpStatus);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
