import { randomUUID } from 'node:crypto';
import { can, issueAccessToken, type Permission, type Role } from '@e3d/auth';
import { problemSchema } from '@e3d/contracts';
import { expect } from 'vitest';
import { staffToken, type TestApi } from './api.ts';

export const ROLES: Role[] = ['owner', 'admin', 'catalog_editor', 'support'];

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An admin route and the permission it needs; ids in the URL are unknown ones. */
export interface RouteCase {
  method: Method;
  url: string;
  permission: Permission;
  body?: unknown;
}

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A client for the admin API as one signed-in caller. */
export function client(api: TestApi, token: string | undefined) {
  return async (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await api.app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return {
      status: response.statusCode,
      body: response.body ? response.json() : null,
      headers: response.headers,
    };
  };
}

export type Client = ReturnType<typeof client>;

/** A token for every role, and a customer's. */
export async function tokensForEveryRole(api: TestApi) {
  const staff = Object.fromEntries(
    await Promise.all(ROLES.map(async (role) => [role, (await staffToken(api, role)).token] as const)),
  ) as Record<Role, string>;
  const customer = await issueAccessToken(api.runtime.jwtSecret, { type: 'customer', id: randomUUID() });
  return { staff, customer };
}

/**
 * Every role against every route: a role with the permission gets past the check (whatever
 * the unknown ids and empty bodies then earn), a role without it gets 403, and so does a
 * customer; no token at all is 401.
 */
export async function expectRoleMatrix(api: TestApi, routes: RouteCase[]) {
  const { staff, customer } = await tokensForEveryRole(api);
  const failures: string[] = [];
  for (const route of routes) {
    for (const role of ROLES) {
      const { status, body } = await client(api, staff[role])(route.method, route.url, route.body);
      const allowed = can(role, route.permission);
      const ok = allowed ? status !== 401 && status !== 403 && status < 500 : status === 403;
      if (!ok) failures.push(`${role} ${route.method} ${route.url}: ${status} ${JSON.stringify(body)}`);
      if (!allowed) expect(problemSchema.parse(body).code).toBe('forbidden');
    }
    const asCustomer = await client(api, customer)(route.method, route.url, route.body);
    if (asCustomer.status !== 403)
      failures.push(`customer ${route.method} ${route.url}: ${asCustomer.status}`);
    const anonymous = await client(api, undefined)(route.method, route.url, route.body);
    if (anonymous.status !== 401)
      failures.push(`anonymous ${route.method} ${route.url}: ${anonymous.status}`);
  }
  expect(failures).toEqual([]);
}

/** The field names of a 400 problem. */
export function fieldsOf(body: unknown): string[] {
  return (problemSchema.parse(body).errors ?? []).map((e) => e.field);
}
