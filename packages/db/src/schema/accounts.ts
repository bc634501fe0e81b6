import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const accountStatus = pgEnum('account_status', ['active', 'deactivated', 'deleted']);
export const staffRole = pgEnum('staff_role', ['owner', 'admin', 'catalog_editor', 'support']);
export const subjectType = pgEnum('subject_type', ['customer', 'staff']);

/** Shoppers. Deleting an account anonymises it (orders keep their customer id). */
export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased; null once the account is deleted. */
    email: text('email'),
    passwordHash: text('password_hash'),
    name: text('name').notNull().default(''),
    status: accountStatus('status').notNull().default('active'),
    marketingOptIn: boolean('marketing_opt_in').notNull().default(false),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('customers_email_key').on(t.email),
    check('customers_email_lower', sql`${t.email} IS NULL OR ${t.email} = lower(${t.email})`),
  ],
);

type AccountStatus = (typeof accountStatus.enumValues)[number];

/** A customers row as SQL returns it; queries that read a few columns `Pick` from it. */
export interface CustomerRow {
  id: string;
  email: string | null;
  password_hash: string | null;
  name: string;
  status: AccountStatus;
  marketing_opt_in: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const customerAddresses = pgTable(
  'customer_addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    company: text('company'),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code').notNull(),
    /** ISO 3166-1 alpha-2. */
    country: text('country').notNull(),
    phone: text('phone'),
    isDefaultShipping: boolean('is_default_shipping').notNull().default(false),
    isDefaultBilling: boolean('is_default_billing').notNull().default(false),
    ...timestamps,
  },
  (t) => [
    index('customer_addresses_customer_idx').on(t.customerId),
    check('customer_addresses_country_iso', sql`${t.country} ~ '^[A-Z]{2}$'`),
  ],
);

/** A customer_addresses row as SQL returns it. */
export interface CustomerAddressRow {
  id: string;
  customer_id: string;
  name: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string;
  country: string;
  phone: string | null;
  is_default_shipping: boolean;
  is_default_billing: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Staff are not customers: separate table, separate tokens, roles checked on every admin route. */
export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    name: text('name').notNull().default(''),
    role: staffRole('role').notNull(),
    status: accountStatus('status').notNull().default('active'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('staff_email_key').on(t.email),
    check('staff_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);

/** A staff row as SQL returns it. */
export interface StaffRow {
  id: string;
  email: string;
  password_hash: string | null;
  name: string;
  role: (typeof staffRole.enumValues)[number];
  status: AccountStatus;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Rotating refresh tokens, stored only as SHA-256 hashes. Each sign-in starts a family; each
 * refresh uses a token once and issues its successor. Presenting a used token again means it
 * was stolen: the whole family is revoked.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    familyId: uuid('family_id').notNull(),
    subjectType: subjectType('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash_key').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_subject_idx').on(t.subjectType, t.subjectId),
  ],
);

/** A refresh_tokens row as SQL returns it. */
export interface RefreshTokenRow {
  id: string;
  family_id: string;
  subject_type: (typeof subjectType.enumValues)[number];
  subject_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
}

/** One-time password reset links, stored hashed, short-lived. */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectType: subjectType('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('password_reset_tokens_hash_key').on(t.tokenHash)],
);

/** A password_reset_tokens row as SQL returns it. */
export interface PasswordResetTokenRow {
  id: string;
  subject_type: (typeof subjectType.enumValues)[number];
  subject_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

/** Every staff write: who, what, when, before and after. Append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    staffId: uuid('staff_id'),
    staffEmail: text('staff_email').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.createdAt),
    index('audit_log_created_idx').on(t.createdAt.desc()),
    index('audit_log_staff_idx').on(t.staffId, t.createdAt),
  ],
);

/** An audit_log row as SQL returns it. */
export interface AuditLogRow {
  /** bigint: node-postgres hands it over as a string. */
  id: string | number;
  staff_id: string | null;
  staff_email: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  ip: string | null;
  created_at: Date;
}
