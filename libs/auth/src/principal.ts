import { Role } from './role';

/** Who is calling: attached to the request by the auth guard. */
export interface Principal {
  tokenId: number | 'bootstrap';
  name: string;
  role: Role;
}
