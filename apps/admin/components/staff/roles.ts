import type { StaffMember } from '@e3d/contracts';

export type Role = StaffMember['role'];

export const ROLES: { value: Role; label: string; summary: string }[] = [
  {
    value: 'owner',
    label: 'Owner',
    summary: 'Everything, including shop settings, tax, shipping, promotions and webhooks.',
  },
  {
    value: 'admin',
    label: 'Admin',
    summary: 'Everything but the shop settings: catalog, orders, customers, staff, audit log.',
  },
  {
    value: 'catalog_editor',
    label: 'Catalog editor',
    summary: 'Products, categories, collections and media.',
  },
  {
    value: 'support',
    label: 'Support',
    summary: 'Reads the catalog, orders and customers; changes nothing.',
  },
];

export const roleLabel = (role: string) => ROLES.find((r) => r.value === role)?.label ?? role;
export const roleSummary = (role: string) => ROLES.find((r) => r.value === role)?.summary ?? '';

/** The roles someone may hand out: only an owner may make an owner (the API refuses otherwise). */
export const assignableRoles = (actorRole: string) =>
  ROLES.filter((r) => r.value !== 'owner' || actorRole === 'owner');

/** What a member's row shows as status: invited members have not chosen a password yet. */
export function memberStatus(member: StaffMember): 'invited' | 'active' | 'deactivated' | 'deleted' {
  if (member.status === 'active' && member.invited) return 'invited';
  return member.status;
}
