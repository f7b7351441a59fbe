import { userViewRoleValues } from '../../api/schema';
import type { Role } from '../../api/types';

/** The roles the API accepts, in the order people think of them, with what each may do. */
export const ROLES: ReadonlyArray<Role> = userViewRoleValues;

const DESCRIPTIONS: Record<Role, string> = {
  admin: 'everything, including people and API tokens',
  marketer: 'senders, templates, contacts, broadcasts and sequences',
  analyst: 'statistics, history and exports only',
};

export const roleOptions = ROLES.map((role) => ({ value: role, label: `${role} — ${DESCRIPTIONS[role]}` }));
export const shortRoleOptions = ROLES.map((role) => ({ value: role, label: role }));

export function isRole(value: string | null): value is Role {
  return value !== null && (ROLES as readonly string[]).includes(value);
}
