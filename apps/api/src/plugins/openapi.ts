import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * The OpenAPI 3.1 document is generated from the zod schemas on the routes, the same
 * schemas that validate requests. Register before the routes so it sees them all.
 */
export async function registerOpenApi(app: FastifyInstance, options: { serverUrl: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ecommerce-3d API',
        version: '0.1.0',
        description:
          'Catalog, media, accounts and commerce for ecommerce-3d. Errors are application/problem+json (RFC 9457) with a stable `code`.',
      },
      servers: [{ url: options.serverUrl }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'Access token from sign-in (API clients)',
          },
          cookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'e3d_access',
            description:
              'Browsers: HttpOnly cookie (staff: e3d_staff_access on /api/admin); writes also need the x-csrf-token header',
          },
        },
      },
      tags: [
        { name: 'catalog', description: 'Published products, categories and collections' },
        { name: 'media', description: 'Staff uploads of images and 3D models, and their processing' },
        { name: 'health', description: 'Liveness and readiness probes' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
