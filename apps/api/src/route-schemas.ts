import { problemSchema } from '@e3d/contracts';

/** What every staff route shares in its OpenAPI description: a bearer token or the session cookie. */
export const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** The problems (RFC 9457) a staff write answers with, besides its own. */
export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};
