import { z } from 'zod';
import { emailSchema, staffRoleSchema } from './accounts.ts';

export const staffMemberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: staffRoleSchema,
    status: z.enum(['active', 'deactivated', 'deleted']),
    invited: z.boolean().describe('Has not chosen a password yet'),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StaffMember' });

export type StaffMember = z.output<typeof staffMemberSchema>;

export const staffListSchema = z.object({ items: z.array(staffMemberSchema) }).meta({ id: 'StaffList' });

export const staffInviteSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().max(200).default(''),
    role: staffRoleSchema,
  })
  .meta({ id: 'StaffInvite' });

export const staffUpdateSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    role: staffRoleSchema.optional(),
    status: z.enum(['active', 'deactivated']).optional().describe('deactivated: signs out at once'),
  })
  .refine((b) => b.name !== undefined || b.role !== undefined || b.status !== undefined, {
    message: 'give name, role or status',
    path: ['role'],
  })
  .meta({ id: 'StaffUpdate' });
