import type { Role } from './tokens.ts';

export const PERMISSIONS = [
  'catalog:read',
  'catalog:write',
  'media:write',
  'orders:read',
  'orders:write',
  'customers:read',
  'customers:write',
  'staff:read',
  'staff:write',
  'audit:read',
  'settings:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** What each staff role may do; checked on the server for every admin route. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter((p) => p !== 'settings:write'),
  catalog_editor: ['catalog:read', 'catalog:write', 'media:write'],
  support: ['catalog:read', 'orders:read', 'customers:read'],
});

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
