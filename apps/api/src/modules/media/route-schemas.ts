import { problemSchema } from '@e3d/contracts';
import { z } from 'zod';
import { problems } from '../../route-schemas.ts';

/** Routes that take a file also answer 413 when it is over its kind's limit. */
export const uploadProblems = { ...problems, 413: problemSchema };

export const productParams = z.object({ productId: z.uuid() });
export const mediaParams = z.object({ mediaId: z.uuid() });
