/** Roles, ordered by what they may do (DESIGN §6, issue 3). */
import { z } from 'zod';

export const ROLES = ['viewer', 'analyst', 'portfolio_manager', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, portfolio_manager: 2, admin: 3 };

/** True when `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

export const ROLE_LABEL: Record<Role, string> = {
  viewer: 'viewer',
  analyst: 'analyst',
  portfolio_manager: 'portfolio manager',
  admin: 'admin',
};
