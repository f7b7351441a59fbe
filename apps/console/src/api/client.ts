import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An API answer that was not 2xx, with the API's own message ({ statusCode, error, message }). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API's `message` (a string or a list of them), else the HTTP status text. */
export function errorMessage(body: unknown, status: number, statusText = ''): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string' && message) return message;
  }
  return statusText || `request failed (${status})`;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when a session-authenticated call answers 401 (signed out elsewhere, expired): the app shows sign-in. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The header the API asks of cookie-authenticated state changes (calls made outside this client set it too). */
export const CSRF_HEADER = { name: 'X-Requested-With', value: 'clarion' } as const;

/**
 * Every call that changes something carries X-Requested-With: clarion, which the API requires of
 * cookie-authenticated state changes (a page on another site cannot add it).
 */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method.toUpperCase())) request.headers.set(CSRF_HEADER.name, CSRF_HEADER.value);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/v1/auth/login')) {
      unauthorizedListeners.forEach((listener) => listener());
    }
    return response;
  },
};

const origin = typeof window !== 'undefined' ? window.location.origin : 'http://localhost';

/** The typed client: paths, parameters and answers come from the API's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: origin, credentials: 'same-origin' });
api.use(csrfMiddleware);

/** The data of an openapi-fetch answer, or an ApiError with the API's message. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, errorMessage(error, response.status, response.statusText));
  return data as T;
}
