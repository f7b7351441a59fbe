import { Role } from './role';

/** A caller holding an API token (`Authorization: Bearer`). */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: number;
  name: string;
  role: Role;
}

/** A person signed in to the console (the session cookie). */
export interface UserPrincipal {
  kind: 'user';
  userId: number;
  email: string;
  sessionId: number;
  name: string;
  role: Role;
}

/** Who is calling: attached to the request by the auth guard. */
export type Principal = TokenPrincipal | UserPrincipal;
