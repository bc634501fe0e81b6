import { CommerceError, PricingError } from '@e3d/commerce';
import type { Problem } from '@e3d/contracts';
import { isDatabaseUnavailable } from '@e3d/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error type services throw; the handler renders it as problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    /** Extra members of the problem document (RFC 9457 extensions), e.g. currentVersion. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(code: string, detail: string) {
    return new AppError(404, code, detail);
  }

  static invalid(field: string, message: string) {
    return new AppError(400, 'invalid_parameter', `${field}: ${message}`, [{ field, message }]);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  402: 'Payment Required',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: {
    status: number;
    code: string;
    detail: string;
    errors?: FieldError[] | undefined;
    extensions?: Record<string, unknown> | undefined;
  },
) {
  const body = problemDocument(request, problem);
  return reply.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The problem+json body for `problem` (also stored as an idempotent request's answer). */
export function problemDocument(
  request: FastifyRequest,
  problem: {
    status: number;
    code: string;
    detail: string;
    errors?: FieldError[] | undefined;
    extensions?: Record<string, unknown> | undefined;
  },
): Problem {
  return {
    ...problem.extensions,
    type: `https://ecommerce-3d.dev/problems/${problem.code.replaceAll('_', '-')}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    code: problem.code,
    detail: problem.detail,
    instance: request.url,
    requestId: String(request.id),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

const VALIDATION_CODES: Record<string, string> = {
  querystring: 'invalid_parameter',
  params: 'invalid_parameter',
  headers: 'invalid_header',
  body: 'invalid_body',
};

/**
 * When to ask a client to come back while the database is away: about what a failover takes to
 * start answering, and the pool's connect timeout, so a retry does not find it still down.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Maps every error to problem details; nothing internal (stack, SQL) reaches a client. */
export function registerErrorHandling(app: FastifyInstance) {
  let lastOutageLog = 0;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // An outage is the server's condition, not the request's fault, and passes: 503 and when to
    // retry, so clients and the load balancer back off instead of reporting a bug.
    if (isDatabaseUnavailable(error)) {
      // Every request fails alike during an outage: one line every 10 s says it, not thousands.
      if (Date.now() - lastOutageLog >= 10_000) {
        lastOutageLog = Date.now();
        request.log.error({ err: error }, 'database unavailable: answering 503 until it is back');
      }
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(request, reply, {
        status: 503,
        code: 'database_unavailable',
        detail: 'The shop cannot reach its database right now. Try again in a few seconds.',
      });
    }
    if (error instanceof AppError) {
      return sendProblem(request, reply, {
        status: error.status,
        code: error.code,
        detail: error.message,
        errors: error.errors,
        extensions: error.extensions,
      });
    }
    if (error instanceof CommerceError) {
      return sendProblem(request, reply, {
        status: error.status,
        code: error.code,
        detail: error.message,
        extensions: error.details,
      });
    }
    if (PricingError.is(error)) {
      return sendProblem(request, reply, {
        status: error.code === 'shipping_unavailable' ? 409 : 400,
        code: error.code,
        detail: error.message,
        extensions: error.details,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const errors = error.validation.map((issue) => ({
        field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || context,
        message: issue.message ?? 'is invalid',
      }));
      return sendProblem(request, reply, {
        status: 400,
        code: VALIDATION_CODES[context] ?? 'invalid_request',
        detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      });
    }
    // Fastify's own client errors: malformed JSON, unsupported media type, body too large…
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'malformed_json'
          : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'payload_too_large'
            : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
              ? 'unsupported_media_type'
              : 'bad_request';
      return sendProblem(request, reply, { status, code, detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, {
      status: 500,
      code: 'internal_error',
      detail: 'Something went wrong on our side. Quote the request id if you report it.',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      status: 404,
      code: 'route_not_found',
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}
