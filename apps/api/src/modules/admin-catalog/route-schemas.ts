import { problemSchema } from '@e3d/contracts';
import { z } from 'zod';

/** What every admin catalog route shares in its OpenAPI description. */
export const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};

export const ifMatch = z.looseObject({
  'if-match': z.string().optional().describe('"<version>": the alternative to a body `version`'),
});
