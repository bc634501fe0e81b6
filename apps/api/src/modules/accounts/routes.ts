import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import { AddressBook } from './addresses.ts';
import { customerAuthRoutes } from './auth-routes.ts';
import { CustomerAccounts } from './customers.ts';
import { meRoutes } from './me-routes.ts';
import { PasswordResets } from './password-reset.ts';
import { accountRateLimits } from './rate-limits.ts';
import { Sessions } from './sessions.ts';
import { StaffAccounts } from './staff.ts';
import { staffAuthRoutes } from './staff-routes.ts';

export interface AccountRoutesOptions {
  db: Database;
  jwtSecret: Uint8Array;
  /** Base of the links in account emails (STOREFRONT_URL). */
  storefrontUrl: string;
}

/**
 * Accounts under /api: customer auth (/auth/*), the customer's own account (/me, addresses)
 * and staff sign-in (/admin/auth/*, /admin/me).
 */
export async function accountRoutes(app: FastifyInstance, options: AccountRoutesOptions) {
  const { db } = options;
  const sessions = new Sessions(db, options.jwtSecret);
  const accounts = new CustomerAccounts(db, sessions);
  const resets = new PasswordResets(db, accounts, options.storefrontUrl);
  const limits = accountRateLimits();

  customerAuthRoutes(app, { accounts, resets, sessions, limits });
  meRoutes(app, { accounts, addresses: new AddressBook(db) });
  staffAuthRoutes(app, { staff: new StaffAccounts(db, sessions), sessions, limits });
}
