import { randomUUID } from 'node:crypto';
import { problemSchema } from '@e3d/contracts';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_THROTTLES } from '../src/modules/accounts/rate-limits.ts';
import { createOwner } from '../src/modules/accounts/staff-bootstrap.ts';

const PASSWORD = 'correct horse battery';
const staffPolicy = SIGN_IN_THROTTLES.staffLogin;
const customerPolicy = SIGN_IN_THROTTLES.login;

const codeOf = (response: LightMyRequestResponse) => problemSchema.parse(response.json()).code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)('sign-in throttling on %s', (backend) => {
  let api: TestApi;
  let ipCounter = 0;
  /** A fresh documentation-range address, so tests never share an address's failures. */
  const nextIp = () => `203.0.113.${++ipCounter}`;

  const staffSignIn = (email: string, password: string, remoteAddress: string) =>
    api.app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      remoteAddress,
      payload: { email, password, mode: 'token' },
    });
  const customerSignIn = (email: string, password: string, remoteAddress: string) =>
    api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      payload: { email, password, mode: 'token' },
    });

  const newOwner = async () => {
    const email = `owner-${randomUUID().slice(0, 8)}@staff.test`;
    await createOwner(api.db, { email, password: PASSWORD });
    return email;
  };
  const newCustomer = async () => {
    const email = `shopper-${randomUUID().slice(0, 8)}@example.com`;
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      remoteAddress: nextIp(),
      payload: { email, password: PASSWORD, name: 'Ada', mode: 'token' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return email;
  };

  /** A 429 `too_many_attempts` with its Retry-After in whole seconds. */
  const refusedFor = (response: LightMyRequestResponse): number => {
    expect(response.statusCode, response.body).toBe(429);
    expect(codeOf(response)).toBe('too_many_attempts');
    const retryAfter = Number(response.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${retryAfter}`).toBe(true);
    return retryAfter;
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('does not count successful sign-ins', async () => {
    const owner = await newOwner();
    const customer = await newCustomer();
    const ip = nextIp();
    for (let i = 0; i < staffPolicy.perAccountAndAddress.free + 5; i++) {
      const response = await staffSignIn(owner, PASSWORD, ip);
      expect(response.statusCode, `staff sign-in ${i + 1}: ${response.body}`).toBe(200);
    }
    for (let i = 0; i < customerPolicy.perAccountAndAddress.free + 5; i++) {
      const response = await customerSignIn(customer, PASSWORD, ip);
      expect(response.statusCode, `customer sign-in ${i + 1}: ${response.body}`).toBe(200);
    }
  });

  it('lets the owner sign in from another address while one address is locked out', async () => {
    const owner = await newOwner();
    const attacker = nextIp();
    for (let i = 0; i < staffPolicy.perAccountAndAddress.free; i++) {
      expect(codeOf(await staffSignIn(owner, `guess ${i}`, attacker))).toBe('invalid_credentials');
    }
    // Locked out from that address, right password or not: the guesser learns nothing more.
    refusedFor(await staffSignIn(owner, `guess again`, attacker));
    refusedFor(await staffSignIn(owner, PASSWORD, attacker));
    const home = nextIp();
    const signedIn = await staffSignIn(owner, PASSWORD, home);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    // The same address may still sign in to other accounts.
    const colleague = await newOwner();
    expect((await staffSignIn(colleague, PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('makes each further failure from the address wait twice as long', async () => {
    const customer = await newCustomer();
    const ip = nextIp();
    for (let i = 0; i < customerPolicy.perAccountAndAddress.free; i++) {
      expect(codeOf(await customerSignIn(customer, `guess ${i}`, ip))).toBe('invalid_credentials');
    }
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const wait = refusedFor(await customerSignIn(customer, PASSWORD, ip));
      waits.push(wait);
      // Sit the wait out, then fail once more: the next wait is longer.
      await sleep(wait * 1_000 + 50);
      let after = await customerSignIn(customer, `late guess ${round}`, ip);
      // A loaded machine may still be inside the wait by a few milliseconds.
      for (let tries = 0; after.statusCode === 429 && tries < 20; tries++) {
        await sleep(100);
        after = await customerSignIn(customer, `late guess ${round}`, ip);
      }
      expect(codeOf(after)).toBe('invalid_credentials');
    }
    const first = customerPolicy.perAccountAndAddress.firstDelaySeconds;
    expect(waits[0]).toBeLessThanOrEqual(first);
    // 1 s, 2 s, 4 s (each at most a second shorter by the time it is read).
    expect(waits[2]).toBeGreaterThan(waits[0] as number);
    expect(waits[2]).toBeGreaterThanOrEqual(first * 4 - 1);
  });

  it("clears an address's failures for the account when it signs in", async () => {
    const owner = await newOwner();
    const ip = nextIp();
    const almost = staffPolicy.perAccountAndAddress.free - 1;
    for (let i = 0; i < almost; i++) expect((await staffSignIn(owner, `typo ${i}`, ip)).statusCode).toBe(401);
    expect((await staffSignIn(owner, PASSWORD, ip)).statusCode).toBe(200);
    for (let i = 0; i < almost; i++) expect((await staffSignIn(owner, `typo ${i}`, ip)).statusCode).toBe(401);
    expect((await staffSignIn(owner, PASSWORD, ip)).statusCode).toBe(200);
  });

  it('stops one address spraying guesses across many accounts, and only that address', async () => {
    const sprayer = nextIp();
    const { max } = staffPolicy.perAddress;
    expect(max).toBeGreaterThan(staffPolicy.perAccountAndAddress.free * 5);
    for (let i = 0; i < max; i++) {
      const response = await staffSignIn(
        `nobody-${i}-${randomUUID().slice(0, 6)}@staff.test`,
        'guess',
        sprayer,
      );
      expect(response.statusCode, `failure ${i + 1}`).toBe(401);
    }
    const owner = await newOwner();
    const wait = refusedFor(await staffSignIn(owner, PASSWORD, sprayer));
    expect(wait).toBeGreaterThan(staffPolicy.perAddress.windowSeconds / 2);
    expect((await staffSignIn(owner, PASSWORD, nextIp())).statusCode).toBe(200);
  });

  it('lets concurrent guesses from one address through no more than the free ones', async () => {
    const owner = await newOwner();
    const ip = nextIp();
    const { free } = staffPolicy.perAccountAndAddress;
    const answers = await Promise.all(
      Array.from({ length: free * 3 }, (_, i) => staffSignIn(owner, `parallel guess ${i}`, ip)),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(free);
    expect(statuses.filter((s) => s === 429)).toHaveLength(free * 2);
  });
});
