import { randomInt, randomUUID } from 'node:crypto';
import { issueAccessToken, newOpaqueToken } from '@e3d/auth';
import {
  addressListSchema,
  addressSchema,
  customerProfileSchema,
  problemSchema,
  staffProfileSchema,
  tokenResponseSchema,
} from '@e3d/contracts';
import { drain } from '@e3d/jobs';
import { createMailerFromConfig, MAIL_QUEUE, mailJobHandler, readOutbox } from '@e3d/mail';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_THROTTLES } from '../src/modules/accounts/rate-limits.ts';
import { createOwner } from '../src/modules/accounts/staff-bootstrap.ts';

const PASSWORD = 'correct horse battery';
const API_CLIENT = { 'x-e3d-client': 'api' };

const problemOf = (response: LightMyRequestResponse) => problemSchema.parse(response.json());
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookieOf = (response: LightMyRequestResponse, name: string) =>
  response.cookies.find((c) => c.name === name);
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe.each(BACKENDS)('accounts API on %s', (backend) => {
  let api: TestApi;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options: {
      payload?: object | string;
      headers?: Record<string, string>;
      cookies?: Record<string, string>;
      remoteAddress?: string;
    } = {},
  ) =>
    // Each call from its own address, unless a test says otherwise: the per-IP rate limits
    // are tested on their own.
    api.app.inject({ method, url, remoteAddress: randomIp(), ...options });

  /** A new customer signed in as an API client: its id, email and tokens. */
  const newCustomer = async (name = 'Ada Lovelace') => {
    const email = `shopper-${randomUUID().slice(0, 8)}@example.com`;
    const response = await call('POST', '/api/auth/register', {
      payload: { email, password: PASSWORD, name, mode: 'token' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const tokens = tokenResponseSchema.parse(response.json());
    const me = customerProfileSchema.parse(
      (await call('GET', '/api/me', { headers: bearer(tokens.accessToken) })).json(),
    );
    return {
      id: me.id,
      email,
      tokens,
      auth: bearer(tokens.accessToken),
      refreshToken: tokens.refreshToken ?? '',
    };
  };

  const login = (email: string, password = PASSWORD) =>
    call('POST', '/api/auth/login', { payload: { email, password }, headers: API_CLIENT });

  const refresh = (refreshToken: string, prefix = '/api/auth') =>
    call('POST', `${prefix}/refresh`, { payload: { refreshToken } });

  /** Sends every queued email to the outbox; returns the emails sent to `to`, newest last. */
  const mailTo = async (to: string) => {
    const mailer = createMailerFromConfig(api.config);
    await drain(api.db, { [MAIL_QUEUE]: mailJobHandler(mailer) });
    await mailer.close();
    return (await readOutbox(api.config.dataDir)).filter((m) => m.to.includes(to));
  };

  const resetTokenFrom = async (email: string) => {
    const mails = (await mailTo(email)).filter((m) => m.subject === 'Reset your password');
    const link = mails.at(-1)?.text.match(/https?:\/\/\S+/)?.[0] ?? '';
    expect(link).toMatch(/^http:\/\/localhost:3000\/account\/reset-password\?token=/);
    return new URL(link).searchParams.get('token') ?? '';
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('registers, signs in and reads the profile; a taken email is 409', async () => {
    const customer = await newCustomer('Grace Hopper');
    expect(customer.tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(customer.refreshToken).not.toBe('');
    const me = customerProfileSchema.parse((await call('GET', '/api/me', { headers: customer.auth })).json());
    expect(me).toMatchObject({ email: customer.email, name: 'Grace Hopper', marketingOptIn: false });

    const signedIn = await login(`  ${customer.email.toUpperCase()} `);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(tokenResponseSchema.parse(signedIn.json()).refreshToken).toBeTruthy();

    const taken = await call('POST', '/api/auth/register', {
      payload: { email: customer.email.toUpperCase(), password: PASSWORD, name: 'Someone' },
    });
    expect(taken.statusCode).toBe(409);
    expect(problemOf(taken).code).toBe('email_taken');

    const patched = await call('PATCH', '/api/me', {
      headers: customer.auth,
      payload: { name: ' Grace B. Hopper ', marketingOptIn: true },
    });
    expect(patched.json()).toMatchObject({ name: 'Grace B. Hopper', marketingOptIn: true });
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const customer = await newCustomer();
    const wrong = await login(customer.email, 'not the password');
    const unknown = await login(`nobody-${randomUUID()}@example.com`);
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(problemOf(response)).toMatchObject({
        code: 'invalid_credentials',
        detail: problemOf(wrong).detail,
      });
    }
  });

  it('rotates refresh tokens; a reused one revokes the whole family', async () => {
    const customer = await newCustomer();
    const first = await refresh(customer.refreshToken);
    expect(first.statusCode, first.body).toBe(200);
    const second = tokenResponseSchema.parse(first.json());
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(customer.refreshToken);
    expect((await call('GET', '/api/me', { headers: bearer(second.accessToken) })).statusCode).toBe(200);

    // Another session of the same customer is not part of the family.
    const other = tokenResponseSchema.parse((await login(customer.email)).json());

    const reused = await refresh(customer.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(problemOf(reused).code).toBe('refresh_token_reused');
    const successor = await refresh(second.refreshToken ?? '');
    expect(successor.statusCode).toBe(401);
    expect(problemOf(successor).code).toBe('refresh_token_invalid');

    expect((await refresh(other.refreshToken ?? '')).statusCode).toBe(200);
    for (const token of ['', 'made-up-token', randomUUID()]) {
      const response = await refresh(token);
      expect(response.statusCode, token).toBe(token ? 401 : 400);
    }
    // A customer's token is no staff token.
    const staffSide = await refresh(
      tokenResponseSchema.parse((await login(customer.email)).json()).refreshToken ?? '',
      '/api/admin/auth',
    );
    expect(problemOf(staffSide).code).toBe('refresh_token_invalid');
  });

  it('lets only one of two simultaneous refreshes with the same token through', async () => {
    const customer = await newCustomer();
    const results = await Promise.all([refresh(customer.refreshToken), refresh(customer.refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.statusCode === 200);
    const loser = results.find((r) => r.statusCode === 401);
    expect(loser && problemOf(loser).code).toBe('refresh_token_reused');
    // The token was used twice: the family, the winner's successor included, is revoked.
    const successor = tokenResponseSchema.parse(winner?.json()).refreshToken ?? '';
    expect(problemOf(await refresh(successor)).code).toBe('refresh_token_invalid');
  });

  it('refuses an expired refresh token', async () => {
    const customer = await newCustomer();
    await api.db.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE subject_id = $1`,
      [customer.id],
    );
    const response = await refresh(customer.refreshToken);
    expect(response.statusCode).toBe(401);
    expect(problemOf(response).code).toBe('refresh_token_invalid');
  });

  it('signs out: the family is revoked', async () => {
    const customer = await newCustomer();
    const out = await call('POST', '/api/auth/logout', { payload: { refreshToken: customer.refreshToken } });
    expect(out.statusCode).toBe(204);
    expect(problemOf(await refresh(customer.refreshToken)).code).toBe('refresh_token_invalid');
    // Signing out twice, or without a token, is still fine.
    expect(
      (await call('POST', '/api/auth/logout', { payload: { refreshToken: customer.refreshToken } }))
        .statusCode,
    ).toBe(204);
    expect((await call('POST', '/api/auth/logout')).statusCode).toBe(204);
  });

  it('changes the password: needs the current one, keeps this session, ends the others', async () => {
    const customer = await newCustomer();
    const otherSession = tokenResponseSchema.parse((await login(customer.email)).json());
    const change = (currentPassword: string) =>
      call('POST', '/api/auth/password', {
        headers: customer.auth,
        payload: {
          currentPassword,
          newPassword: 'a brand new passphrase',
          refreshToken: customer.refreshToken,
        },
      });
    const wrong = await change('not my password');
    expect(wrong.statusCode).toBe(403);
    expect(problemOf(wrong).code).toBe('wrong_password');
    expect((await change(PASSWORD)).statusCode).toBe(204);

    expect((await refresh(customer.refreshToken)).statusCode).toBe(200);
    expect(problemOf(await refresh(otherSession.refreshToken ?? '')).code).toBe('refresh_token_invalid');
    expect((await login(customer.email)).statusCode).toBe(401);
    expect((await login(customer.email, 'a brand new passphrase')).statusCode).toBe(200);
    expect((await mailTo(customer.email)).map((m) => m.subject)).toContain('Your password was changed');

    const anonymous = await call('POST', '/api/auth/password', {
      payload: { currentPassword: PASSWORD, newPassword: 'another new passphrase' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('resets a forgotten password with a one-time emailed link', async () => {
    const customer = await newCustomer();
    const request = (email: string) => call('POST', '/api/auth/password-reset', { payload: { email } });
    const unknownEmail = `nobody-${randomUUID()}@example.com`;
    expect((await request(unknownEmail)).statusCode).toBe(202);
    expect((await request(customer.email.toUpperCase())).statusCode).toBe(202);
    expect(await mailTo(unknownEmail)).toEqual([]);
    const token = await resetTokenFrom(customer.email);
    const [stored] = await api.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM password_reset_tokens WHERE subject_id = $1',
      [customer.id],
    );
    expect(stored?.token_hash).not.toBe(token);

    const confirm = (password: string, t = token) =>
      call('POST', '/api/auth/password-reset/confirm', { payload: { token: t, password } });
    expect((await confirm('my reset passphrase')).statusCode).toBe(204);
    const replay = await confirm('a second try at it');
    expect(replay.statusCode).toBe(400);
    expect(problemOf(replay).code).toBe('reset_token_invalid');
    expect((await login(customer.email, 'my reset passphrase')).statusCode).toBe(200);
    expect((await login(customer.email, 'a second try at it')).statusCode).toBe(401);
    // Every session ended.
    expect(problemOf(await refresh(customer.refreshToken)).code).toBe('refresh_token_invalid');

    // An expired link is refused.
    await request(customer.email);
    const late = await resetTokenFrom(customer.email);
    await api.db.query(
      `UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' WHERE subject_id = $1`,
      [customer.id],
    );
    const expired = await confirm('too late for this one', late);
    expect(expired.statusCode).toBe(400);
    expect(problemOf(expired).code).toBe('reset_token_invalid');
    expect(problemOf(await confirm('never issued at all', 'made-up')).code).toBe('reset_token_invalid');
  });

  it('closes an account: personal data is erased, sessions end', async () => {
    const customer = await newCustomer('To Be Deleted');
    await call('POST', '/api/me/addresses', {
      headers: customer.auth,
      payload: { name: 'X', line1: '1 Road', city: 'Berlin', postalCode: '10115', country: 'DE' },
    });
    const wrong = await call('DELETE', '/api/me', { headers: customer.auth, payload: { password: 'nope' } });
    expect(wrong.statusCode).toBe(403);
    const deleted = await call('DELETE', '/api/me', {
      headers: customer.auth,
      payload: { password: PASSWORD },
    });
    expect(deleted.statusCode).toBe(204);

    const [row] = await api.db.query<Record<string, unknown>>(
      'SELECT email, name, password_hash, status, deleted_at FROM customers WHERE id = $1',
      [customer.id],
    );
    expect(row).toMatchObject({ email: null, name: '', password_hash: null, status: 'deleted' });
    expect(row?.deleted_at).not.toBeNull();
    const [addresses] = await api.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customer_addresses WHERE customer_id = $1',
      [customer.id],
    );
    expect(addresses?.n).toBe(0);
    expect(problemOf(await refresh(customer.refreshToken)).code).toBe('refresh_token_invalid');
    expect(problemOf(await login(customer.email)).code).toBe('invalid_credentials');
    expect(problemOf(await call('GET', '/api/me', { headers: customer.auth })).code).toBe('account_inactive');
    // The address is free again.
    const again = await call('POST', '/api/auth/register', {
      payload: { email: customer.email, password: PASSWORD, name: 'Back again' },
    });
    expect(again.statusCode).toBe(201);
  });

  it('keeps an address book with one default of each kind', async () => {
    const customer = await newCustomer();
    const add = (payload: object) => call('POST', '/api/me/addresses', { headers: customer.auth, payload });
    const home = {
      name: 'Ada',
      line1: '12 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'us',
    };

    const first = addressSchema.parse((await add(home)).json());
    expect(first).toMatchObject({
      country: 'US',
      isDefaultShipping: true,
      isDefaultBilling: true,
      company: null,
    });
    const work = await add({ ...home, line1: '1 Office Park', company: 'ACME', isDefaultShipping: true });
    expect(work.statusCode, work.body).toBe(201);
    const second = addressSchema.parse(work.json());
    expect(second).toMatchObject({ isDefaultShipping: true, isDefaultBilling: false });

    const list = async () =>
      addressListSchema.parse((await call('GET', '/api/me/addresses', { headers: customer.auth })).json())
        .items;
    expect((await list()).map((a) => [a.id, a.isDefaultShipping, a.isDefaultBilling])).toEqual([
      [second.id, true, false],
      [first.id, false, true],
    ]);

    const patched = await call('PATCH', `/api/me/addresses/${first.id}`, {
      headers: customer.auth,
      payload: { isDefaultShipping: true, line2: 'Apt 4', country: 'gb' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      line2: 'Apt 4',
      country: 'GB',
      isDefaultShipping: true,
      line1: '12 Main St',
    });
    expect((await list()).find((a) => a.id === second.id)?.isDefaultShipping).toBe(false);

    const badCountry = await add({ ...home, country: 'XX' });
    expect(badCountry.statusCode).toBe(400);
    expect(problemOf(badCountry).errors?.map((e) => e.field)).toEqual(['country']);

    // Another customer sees none of it and cannot touch it.
    const stranger = await newCustomer();
    expect((await call('GET', '/api/me/addresses', { headers: stranger.auth })).json()).toEqual({
      items: [],
    });
    const foreign = await call('DELETE', `/api/me/addresses/${first.id}`, { headers: stranger.auth });
    expect(foreign.statusCode).toBe(404);
    expect(problemOf(foreign).code).toBe('address_not_found');
    const foreignPatch = await call('PATCH', `/api/me/addresses/${first.id}`, {
      headers: stranger.auth,
      payload: { city: 'Elsewhere' },
    });
    expect(foreignPatch.statusCode).toBe(404);

    expect(
      (await call('DELETE', `/api/me/addresses/${first.id}`, { headers: customer.auth })).statusCode,
    ).toBe(204);
    expect((await list()).map((a) => a.id)).toEqual([second.id]);

    // Simultaneous new defaults: one wins, never two defaults.
    const racing = await Promise.all(
      [1, 2, 3, 4].map((n) => add({ ...home, line1: `${n} Race Road`, isDefaultBilling: true })),
    );
    expect(racing.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect((await list()).filter((a) => a.isDefaultBilling)).toHaveLength(1);
  });

  it('serves browsers with cookies; cookie-authenticated writes need the CSRF header', async () => {
    const { email } = await newCustomer();
    const signIn = await call('POST', '/api/auth/login', { payload: { email, password: PASSWORD } });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().refreshToken).toBeUndefined();
    const access = cookieOf(signIn, 'e3d_access');
    const refreshCookie = cookieOf(signIn, 'e3d_refresh');
    const csrf = cookieOf(signIn, 'e3d_csrf');
    expect(access).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: 900 });
    expect(refreshCookie).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/api/auth',
      maxAge: 30 * 24 * 3600,
    });
    expect(csrf).toMatchObject({ secure: true, sameSite: 'Lax', path: '/' });
    expect(csrf?.httpOnly).toBeFalsy();
    const cookies = {
      e3d_access: access?.value ?? '',
      e3d_refresh: refreshCookie?.value ?? '',
      e3d_csrf: csrf?.value ?? '',
    };
    const csrfHeader = { 'x-csrf-token': cookies.e3d_csrf };

    expect((await call('GET', '/api/me', { cookies })).statusCode).toBe(200);
    const forged = await call('PATCH', '/api/me', { cookies, payload: { name: 'Mallory' } });
    expect(forged.statusCode).toBe(403);
    expect(problemOf(forged).code).toBe('csrf_failed');
    const wrongHeader = await call('PATCH', '/api/me', {
      cookies,
      headers: { 'x-csrf-token': 'guess' },
      payload: { name: 'Mallory' },
    });
    expect(problemOf(wrongHeader).code).toBe('csrf_failed');
    const ok = await call('PATCH', '/api/me', { cookies, headers: csrfHeader, payload: { name: 'Ada' } });
    expect(ok.statusCode).toBe(200);

    // Refreshing with the cookie is a write too.
    const noHeader = await call('POST', '/api/auth/refresh', {
      cookies: { e3d_refresh: cookies.e3d_refresh, e3d_csrf: cookies.e3d_csrf },
    });
    expect(noHeader.statusCode).toBe(403);
    expect(problemOf(noHeader).code).toBe('csrf_failed');
    const refreshed = await call('POST', '/api/auth/refresh', {
      cookies: { e3d_refresh: cookies.e3d_refresh, e3d_csrf: cookies.e3d_csrf },
      headers: csrfHeader,
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json().refreshToken).toBeUndefined();
    const next = cookieOf(refreshed, 'e3d_refresh')?.value ?? '';
    expect(next).not.toBe(cookies.e3d_refresh);
    expect(cookieOf(refreshed, 'e3d_csrf')?.value).toBe(cookies.e3d_csrf);
    expect(cookieOf(refreshed, 'e3d_access')?.value).toBeTruthy();

    // A refused refresh cookie is cleared.
    const reused = await call('POST', '/api/auth/refresh', {
      cookies: { e3d_refresh: cookies.e3d_refresh, e3d_csrf: cookies.e3d_csrf },
      headers: csrfHeader,
    });
    expect(problemOf(reused).code).toBe('refresh_token_reused');
    expect(cookieOf(reused, 'e3d_refresh')).toMatchObject({ value: '', path: '/api/auth' });

    const out = await call('POST', '/api/auth/logout', {
      cookies: { e3d_refresh: next, e3d_csrf: cookies.e3d_csrf },
      headers: csrfHeader,
    });
    expect(out.statusCode).toBe(204);
    for (const name of ['e3d_access', 'e3d_refresh', 'e3d_csrf']) {
      expect(cookieOf(out, name)?.value, name).toBe('');
    }
  });

  it('names the invalid field on every write; malformed JSON is malformed_json', async () => {
    const customer = await newCustomer();
    const [address] = [
      addressSchema.parse(
        (
          await call('POST', '/api/me/addresses', {
            headers: customer.auth,
            payload: { name: 'A', line1: '1 Road', city: 'Paris', postalCode: '75001', country: 'FR' },
          })
        ).json(),
      ),
    ];
    const cases: [string, string, object, string, Record<string, string>?][] = [
      ['POST', '/api/auth/register', { email: 'not-an-email', password: PASSWORD, name: 'A' }, 'email'],
      ['POST', '/api/auth/register', { email: 'a@example.com', password: 'short', name: 'A' }, 'password'],
      [
        'POST',
        '/api/auth/register',
        { email: 'a@example.com', password: 'x'.repeat(257), name: 'A' },
        'password',
      ],
      ['POST', '/api/auth/register', { email: 'a@example.com', password: PASSWORD }, 'name'],
      ['POST', '/api/auth/login', { password: PASSWORD }, 'email'],
      ['POST', '/api/auth/login', { email: 'a@example.com', password: PASSWORD, mode: 'jwt' }, 'mode'],
      ['POST', '/api/auth/refresh', { refreshToken: 42 }, 'refreshToken'],
      ['POST', '/api/auth/logout', { refreshToken: '' }, 'refreshToken'],
      [
        'POST',
        '/api/auth/password',
        { currentPassword: PASSWORD, newPassword: 'short' },
        'newPassword',
        customer.auth,
      ],
      ['POST', '/api/auth/password-reset', { email: '' }, 'email'],
      ['POST', '/api/auth/password-reset/confirm', { token: 'abc', password: 'short' }, 'password'],
      ['POST', '/api/auth/password-reset/confirm', { password: PASSWORD }, 'token'],
      ['PATCH', '/api/me', { name: '   ' }, 'name', customer.auth],
      ['PATCH', '/api/me', { marketingOptIn: 'yes' }, 'marketingOptIn', customer.auth],
      ['DELETE', '/api/me', {}, 'password', customer.auth],
      [
        'POST',
        '/api/me/addresses',
        { name: 'A', line1: '1', city: 'C', postalCode: '1' },
        'country',
        customer.auth,
      ],
      ['PATCH', `/api/me/addresses/${address.id}`, { postalCode: '' }, 'postalCode', customer.auth],
      ['PATCH', '/api/me/addresses/not-a-uuid', { city: 'X' }, 'id', customer.auth],
      ['POST', '/api/admin/auth/login', { email: 'a@example.com' }, 'password'],
      ['POST', '/api/admin/auth/refresh', { refreshToken: 1 }, 'refreshToken'],
    ];
    for (const [method, url, payload, field, headers] of cases) {
      const response = await call(method as 'POST', url, { payload, headers: headers ?? {} });
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(
        problemOf(response).errors?.map((e) => e.field),
        `${method} ${url}`,
      ).toContain(field);
    }
    for (const url of ['/api/auth/register', '/api/auth/login', '/api/admin/auth/login', '/api/me']) {
      const response = await call(url === '/api/me' ? 'PATCH' : 'POST', url, {
        payload: '{"email": ',
        headers: { 'content-type': 'application/json', ...customer.auth },
      });
      expect(response.statusCode, url).toBe(400);
      expect(problemOf(response).code).toBe('malformed_json');
    }
  });

  it('signs staff in separately; deactivated staff are refused', async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@staff.test`;
    const created = await createOwner(api.db, { email, password: PASSWORD });
    expect(created).toMatchObject({ created: true, generated: false, email });
    expect(await createOwner(api.db, { email: email.toUpperCase() })).toMatchObject({
      created: false,
      email,
    });

    const staffLogin = (password = PASSWORD) =>
      call('POST', '/api/admin/auth/login', { payload: { email, password, mode: 'token' } });
    // A customer account is no staff account, and the other way round.
    expect(problemOf(await login(email)).code).toBe('invalid_credentials');
    expect(problemOf(await staffLogin('wrong password')).code).toBe('invalid_credentials');
    const signedIn = await staffLogin();
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const tokens = tokenResponseSchema.parse(signedIn.json());

    const me = staffProfileSchema.parse(
      (await call('GET', '/api/admin/me', { headers: bearer(tokens.accessToken) })).json(),
    );
    expect(me).toMatchObject({ email, role: 'owner' });
    expect(me.permissions).toContain('settings:write');
    expect(me.lastLoginAt).not.toBeNull();
    expect(problemOf(await call('GET', '/api/me', { headers: bearer(tokens.accessToken) })).code).toBe(
      'forbidden',
    );

    const rotated = await refresh(tokens.refreshToken ?? '', '/api/admin/auth');
    expect(rotated.statusCode, rotated.body).toBe(200);
    const next = tokenResponseSchema.parse(rotated.json());
    expect(problemOf(await refresh(next.refreshToken ?? '')).code).toBe('refresh_token_invalid');

    // Browser sign-in: staff cookies of their own (the refresh one only for the admin auth
    // routes), so one browser can be signed in to the storefront and the admin at once.
    const browser = await call('POST', '/api/admin/auth/login', { payload: { email, password: PASSWORD } });
    expect(cookieOf(browser, 'e3d_staff_refresh')?.path).toBe('/api/admin/auth');
    expect(cookieOf(browser, 'e3d_access')).toBeUndefined();
    const shopper = await newCustomer();
    const shopperSignIn = await call('POST', '/api/auth/login', {
      payload: { email: shopper.email, password: PASSWORD },
    });
    const both = {
      e3d_staff_access: cookieOf(browser, 'e3d_staff_access')?.value ?? '',
      e3d_access: cookieOf(shopperSignIn, 'e3d_access')?.value ?? '',
    };
    expect((await call('GET', '/api/admin/me', { cookies: both })).json().email).toBe(email);
    expect((await call('GET', '/api/me', { cookies: both })).json().email).toBe(shopper.email);

    await api.db.query(`UPDATE staff SET status = 'deactivated' WHERE id = $1`, [created.id]);
    const refused = await staffLogin();
    expect(refused.statusCode).toBe(401);
    expect(problemOf(refused).code).toBe('account_inactive');
    expect(problemOf(await refresh(next.refreshToken ?? '', '/api/admin/auth')).code).toBe(
      'refresh_token_invalid',
    );
    const stale = await call('GET', '/api/admin/me', { headers: bearer(next.accessToken) });
    expect(stale.statusCode).toBe(401);
  });

  it('lets an invited staff member choose a password once', async () => {
    const email = `invited-${randomUUID().slice(0, 8)}@staff.test`;
    const [member] = await api.db.query<{ id: string }>(
      `INSERT INTO staff (email, role) VALUES ($1, 'catalog_editor') RETURNING id`,
      [email],
    );
    // What an invitation stores (apps/api/src/modules/staff): a one-time staff token.
    const { token, hash } = newOpaqueToken();
    await api.db.query(
      `INSERT INTO password_reset_tokens (subject_type, subject_id, token_hash, expires_at)
       VALUES ('staff', $1, $2, now() + interval '7 days')`,
      [member?.id, hash],
    );
    const accept = (t: string, password = 'my first staff passphrase') =>
      call('POST', '/api/admin/auth/accept-invite', { payload: { token: t, password } });
    const signIn = (password = 'my first staff passphrase') =>
      call('POST', '/api/admin/auth/login', { payload: { email, password }, headers: API_CLIENT });

    expect(problemOf(await signIn()).code).toBe('invalid_credentials');
    expect(problemOf(await accept(token, 'short')).errors?.[0]?.field).toBe('password');
    expect((await accept(token)).statusCode).toBe(204);
    expect((await signIn()).statusCode).toBe(200);
    const replay = await accept(token, 'someone else entirely');
    expect(replay.statusCode).toBe(400);
    expect(problemOf(replay).code).toBe('invite_token_invalid');
    // A customer's reset token is no invitation.
    const customer = await newCustomer();
    const customerToken = newOpaqueToken();
    await api.db.query(
      `INSERT INTO password_reset_tokens (subject_type, subject_id, token_hash, expires_at)
       VALUES ('customer', $1, $2, now() + interval '1 hour')`,
      [customer.id, customerToken.hash],
    );
    expect(problemOf(await accept(customerToken.token)).code).toBe('invite_token_invalid');
  });

  it('refuses customer tokens on admin routes, and forged or expired tokens', async () => {
    const customer = await newCustomer();
    for (const url of ['/api/admin/me', `/api/admin/media/${randomUUID()}`]) {
      const response = await call('GET', url, { headers: customer.auth });
      expect(response.statusCode, url).toBe(403);
      expect(problemOf(response).code).toBe('forbidden');
    }
    const forged = await issueAccessToken(new TextEncoder().encode('not-the-secret-of-this-api-0123456789'), {
      type: 'customer',
      id: customer.id,
    });
    const expired = await issueAccessToken(
      api.runtime.jwtSecret,
      { type: 'customer', id: customer.id },
      Date.now() - 3_600_000,
    );
    const cases: [string, string][] = [
      [forged, 'token_invalid'],
      ['not.a.jwt', 'token_invalid'],
      [expired, 'token_expired'],
    ];
    for (const [token, code] of cases) {
      for (const url of ['/api/me', '/api/admin/me']) {
        const response = await call('GET', url, { headers: bearer(token) });
        expect(response.statusCode, `${url} ${code}`).toBe(401);
        expect(problemOf(response).code).toBe(code);
      }
    }
    expect(problemOf(await call('GET', '/api/me')).code).toBe('unauthenticated');
  });

  it('limits sign-in, sign-up and reset requests per address and per account', async () => {
    const customer = await newCustomer();
    const limited = (response: LightMyRequestResponse, code = 'rate_limited') => {
      expect(response.statusCode, response.body).toBe(429);
      expect(problemOf(response).code).toBe(code);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    };
    // Sign-in counts failures per account and address (sign-in-throttle.test.ts has the rest):
    // guesses spread over many addresses lock no one out.
    for (let i = 0; i < 12; i++)
      expect((await login(customer.email, `guess number ${i}`)).statusCode).toBe(401);
    expect((await login(customer.email)).statusCode).toBe(200);
    const ip = randomIp();
    const { free } = SIGN_IN_THROTTLES.login.perAccountAndAddress;
    const fromOneAddress = (password: string) =>
      call('POST', '/api/auth/login', { payload: { email: customer.email, password }, remoteAddress: ip });
    for (let i = 0; i < free; i++) expect((await fromOneAddress(`guess ${i}`)).statusCode).toBe(401);
    limited(await fromOneAddress(PASSWORD), 'too_many_attempts');

    const reset = () => call('POST', '/api/auth/password-reset', { payload: { email: customer.email } });
    for (let i = 0; i < 3; i++) expect((await reset()).statusCode).toBe(202);
    limited(await reset());
    expect((await mailTo(customer.email)).filter((m) => m.subject === 'Reset your password')).toHaveLength(3);

    const register = () =>
      call('POST', '/api/auth/register', {
        payload: { email: customer.email, password: PASSWORD, name: 'Copy' },
      });
    // Signing up counted once already.
    for (let i = 0; i < 4; i++) expect((await register()).statusCode).toBe(409);
    limited(await register());
  });

  it('documents the account routes in OpenAPI', async () => {
    const response = await call('GET', '/api/openapi.json');
    expect(response.statusCode, response.body).toBe(200);
    const doc = response.json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/register',
        '/api/auth/login',
        '/api/auth/refresh',
        '/api/auth/logout',
        '/api/auth/password',
        '/api/auth/password-reset',
        '/api/auth/password-reset/confirm',
        '/api/me',
        '/api/me/addresses',
        '/api/me/addresses/{id}',
        '/api/admin/auth/login',
        '/api/admin/auth/refresh',
        '/api/admin/auth/logout',
        '/api/admin/auth/accept-invite',
        '/api/admin/me',
      ]),
    );
  });
});
