import { z } from 'zod';

export const ifMatch = z.looseObject({
  'if-match': z.string().optional().describe('"<version>": the alternative to a body `version`'),
});
