import { randomBytes } from 'node:crypto';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@e3d/auth';
import { emailSchema } from '@e3d/contracts';
import { type Database, rows, type StaffRow, sql } from '@e3d/db';

/** The quick start's owner; its password is generated and shown once. */
export const DEMO_OWNER_EMAIL = 'owner@example.com';

/** 144 random bits, URL-safe: 24 characters to copy once into a password manager. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export type CreateOwnerResult =
  | { created: true; id: string; email: string; password: string; generated: boolean }
  | { created: false; id: string; email: string };

/**
 * Creates an owner (all permissions), the first staff account of a shop. When the email
 * already belongs to staff nothing changes. Without a password one is generated and returned:
 * it is stored nowhere but as its hash.
 */
export async function createOwner(
  db: Database,
  input: { email: string; name?: string | undefined; password?: string | undefined },
): Promise<CreateOwnerResult> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw new Error(`--email: "${input.email}" is not an email address`);
  const email = parsed.data;
  const password = input.password ?? generatePassword();
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new Error(
      `--password: must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (leave it out to generate one)`,
    );
  }
  const staffWithEmail = sql`SELECT id FROM staff WHERE email = ${email}`;
  const [existing] = await rows<Pick<StaffRow, 'id'>>(db, staffWithEmail);
  if (existing) return { created: false, id: existing.id, email };
  const passwordHash = await hashPassword(password);
  const [row] = await rows<Pick<StaffRow, 'id'>>(
    db,
    sql`INSERT INTO staff (email, name, role, password_hash)
        VALUES (${email}, ${input.name?.trim() || 'Owner'}, 'owner', ${passwordHash})
        ON CONFLICT (email) DO NOTHING RETURNING id`,
  );
  if (!row) {
    // Created by someone else between the check and the insert.
    const [other] = await rows<Pick<StaffRow, 'id'>>(db, staffWithEmail);
    return { created: false, id: other?.id ?? '', email };
  }
  return { created: true, id: row.id, email, password, generated: input.password === undefined };
}
