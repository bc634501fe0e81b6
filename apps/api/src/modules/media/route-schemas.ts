import { problemSchema } from '@e3d/contracts';
import { z } from 'zod';

/** What every staff media route shares in its OpenAPI description. */
export const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};

/** Routes that take a file also answer 413 when it is over its kind's limit. */
export const uploadProblems = { ...problems, 413: problemSchema };

export const productParams = z.object({ productId: z.uuid() });
export const mediaParams = z.object({ mediaId: z.uuid() });
