export enum Role {
  Admin = 'admin',
  Marketer = 'marketer',
  Analyst = 'analyst',
}

export const ROLES = Object.values(Role);
