import { SetMetadata } from '@nestjs/common';

export const AUDITED_KEY = 'clarion:audited';

export interface AuditedOptions {
  /** What the call acts on, e.g. 'broadcast'; its id is the route's `:id`, else the answer's `id`. */
  target?: string;
  /**
   * The target's table: the row is read before and after the call and the audit keeps what
   * changed (redacted). Without it, the request body (redacted) is kept as `after`.
   */
  table?: string;
  /** Also record refused calls under this action (e.g. failed sign-ins). Other failures changed nothing and are not recorded. */
  failedAction?: string;
}

export interface AuditedMetadata extends AuditedOptions {
  action: string;
}

/**
 * Puts the handler's calls in the audit log under `action` (e.g. 'broadcast.pause'), with the
 * caller, the target, what changed and the client's address. Recorded by AuditInterceptor once
 * the call succeeded; the answer waits for the row.
 */
export const Audited = (action: string, options: AuditedOptions = {}) =>
  SetMetadata(AUDITED_KEY, { action, ...options } as AuditedMetadata);
