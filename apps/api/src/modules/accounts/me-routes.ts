import {
  addressInputSchema,
  addressListSchema,
  addressSchema,
  addressUpdateSchema,
  customerProfileSchema,
  deleteAccountRequestSchema,
  problemSchema,
  updateProfileSchema,
} from '@e3d/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCustomer } from '../../plugins/auth.ts';
import type { AddressBook } from './addresses.ts';
import type { CustomerAccounts } from './customers.ts';
import { clearSessionCookies } from './delivery.ts';
import { customerId } from './principal.ts';

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const addressParams = z.object({ id: z.uuid() });
const TAG = 'account';

/** The signed-in customer's own account under /api/me: profile, address book, closing it. */
export function meRoutes(
  app: FastifyInstance,
  { accounts, addresses }: { accounts: CustomerAccounts; addresses: AddressBook },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const preHandler = requireCustomer();

  api.get(
    '/me',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'The signed-in customer',
        response: { 200: customerProfileSchema, ...problems },
      },
    },
    async (request) => accounts.profile(customerId(request)),
  );

  api.patch(
    '/me',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'Change the name or the marketing consent',
        body: updateProfileSchema,
        response: { 200: customerProfileSchema, ...problems },
      },
    },
    async (request) => accounts.updateProfile(customerId(request), request.body),
  );

  api.delete(
    '/me',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'Close the account (needs the password)',
        description:
          'Personal data is erased (email, name, password, addresses) and every session ends; orders keep an anonymous customer.',
        body: deleteAccountRequestSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await accounts.deleteAccount(customerId(request), request.body.password);
      clearSessionCookies(reply, 'customer');
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/me/addresses',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'The address book, defaults first',
        response: { 200: addressListSchema, ...problems },
      },
    },
    async (request) => ({ items: await addresses.list(customerId(request)) }),
  );

  api.post(
    '/me/addresses',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'Add an address',
        description:
          'The first address becomes the default for shipping and billing; a new default replaces the previous default of its kind.',
        body: addressInputSchema,
        response: { 201: addressSchema, 409: problemSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addresses.create(customerId(request), request.body)),
  );

  api.patch(
    '/me/addresses/:id',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'Change an address, or make it a default',
        params: addressParams,
        body: addressUpdateSchema,
        response: { 200: addressSchema, 404: problemSchema, ...problems },
      },
    },
    async (request) => addresses.update(customerId(request), request.params.id, request.body),
  );

  api.delete(
    '/me/addresses/:id',
    {
      preHandler,
      schema: {
        tags: [TAG],
        security,
        summary: 'Remove an address',
        params: addressParams,
        response: { 204: z.null(), 404: problemSchema, ...problems },
      },
    },
    async (request, reply) => {
      await addresses.delete(customerId(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
