import { z } from 'zod';

/** RFC 9457 problem details, with our stable machine-readable `code`. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable error code, e.g. not_found, invalid_parameter'),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field or parameter'),
    currentVersion: z.number().int().optional().describe('version_conflict: the version to re-read'),
  })
  .meta({ id: 'Problem' });

export type Problem = z.output<typeof problemSchema>;
