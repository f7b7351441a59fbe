import { randomBytes } from 'node:crypto';
import type { GraphErrorBody, OnPremSendResponse } from '@clarion/whatsapp';

/** Message and HTTP status the sandbox answers each code with, modelled on Meta's answers (see test/fixtures/whatsapp-examples). */
const ANSWERS: Record<number, { message: string; http: number; details?: string; type?: string; subcode?: number; transient?: boolean }> = {
  0: { message: 'AuthException', http: 401 },
  1: { message: 'An unknown error occurred', http: 500, transient: true },
  2: { message: 'An unexpected error occurred. Please retry your request', http: 500, type: 'GraphMethodException', transient: true },
  3: { message: 'Application does not have the capability to make this API call.', http: 403 },
  4: { message: 'Application request limit reached', http: 429, subcode: 2446079, transient: true },
  10: { message: 'Application does not have permission for this action', http: 403 },
  100: { message: '(#100) Invalid parameter', http: 400 },
  190: { message: 'Invalid OAuth access token', http: 401, subcode: 463 },
  200: { message: '(#200) Permissions error', http: 403 },
  368: { message: '(#368) Temporarily blocked for policies violations', http: 400 },
  80007: { message: '(#80007) Rate limit issues', http: 400 },
  130429: { message: '(#130429) Rate limit hit', http: 400, details: 'Cloud API message throughput has been reached.', subcode: 2494055 },
  131000: { message: '(#131000) Something went wrong', http: 500 },
  131016: { message: '(#131016) Service unavailable', http: 503 },
  131026: { message: '(#131026) Message Undeliverable', http: 400, details: 'Unable to deliver message.' },
  131047: { message: '(#131047) Re-engagement message', http: 400 },
  131048: { message: '(#131048) Spam rate limit hit', http: 400 },
  131049: { message: 'This message was not delivered to maintain healthy ecosystem engagement.', http: 400 },
  131050: {
    message: '(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages.',
    http: 400,
  },
  131051: { message: '(#131051) Unsupported message type', http: 400 },
  131056: {
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    http: 400,
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  131057: { message: '(#131057) Account in maintenance mode', http: 503 },
  132000: { message: '(#132000) Number of parameters does not match the expected number of params', http: 400 },
  132001: { message: '(#132001) Template name does not exist in the translation', http: 404 },
  132012: { message: '(#132012) Parameter format does not match format in the created template', http: 400 },
  132015: { message: '(#132015) Template is Paused', http: 400 },
  132016: { message: '(#132016) Template is Disabled', http: 400 },
  132018: { message: '(#132018) There’s an issue with the parameters in your template', http: 400 },
  133004: { message: '(#133004) Server temporarily unavailable', http: 503 },
  133015: { message: '(#133015) Please wait a few minutes before sending a message to this number', http: 400 },
};

export interface ErrorAnswer {
  httpStatus: number;
  body: string;
}

/** A Graph API error answer (Cloud API) for `code`. */
export function graphError(code: number, details?: string, httpStatus?: number): ErrorAnswer {
  const known = ANSWERS[code] ?? { message: `(#${code}) Error`, http: 400 };
  const error: GraphErrorBody['error'] = { message: known.message, type: known.type ?? 'OAuthException', code };
  const text = details ?? known.details;
  if (text || code >= 100_000) error.error_data = { messaging_product: 'whatsapp', details: text ?? known.message };
  if (known.subcode) error.error_subcode = known.subcode;
  error.fbtrace_id = randomBytes(12).toString('base64url');
  if (known.transient) error.is_transient = true;
  return { httpStatus: httpStatus ?? known.http, body: JSON.stringify({ error }) };
}

/** Meta's answer to a template submission it refuses: error 100 with a subcode and a user-facing title and message. */
export function templateError(problem: { subcode: number; title: string; message: string }): ErrorAnswer {
  const error: GraphErrorBody['error'] = {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 100,
    error_subcode: problem.subcode,
    is_transient: false,
    error_user_title: problem.title,
    error_user_msg: problem.message,
    fbtrace_id: randomBytes(12).toString('base64url'),
  };
  return { httpStatus: 400, body: JSON.stringify({ error }) };
}

/** An On-Premises error answer (`{ errors: [...] }`) for `code`. */
export function onPremError(code: number, details?: string, httpStatus?: number, title?: string): ErrorAnswer {
  const known = ANSWERS[code] ?? { message: `Error ${code}`, http: 400 };
  const body: OnPremSendResponse = {
    errors: [{ code, title: title ?? known.message.replace(/^\(#\d+\) /, ''), details: details ?? known.details ?? known.message }],
    meta: { api_status: 'stable', version: 'sandbox' },
  };
  return { httpStatus: httpStatus ?? known.http, body: JSON.stringify(body) };
}

/** The title Meta puts in a failed status webhook's errors[] for `code`. */
export function statusErrorTitle(code: number): string {
  return (ANSWERS[code]?.message ?? `Error ${code}`).replace(/^\(#\d+\) /, '');
}
