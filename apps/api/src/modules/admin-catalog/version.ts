import { AppError } from '../../errors.ts';

/** `If-Match: "3"`, `W/"3"` or `3`: the version the client last read. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value ?? '');
  if (!match) throw AppError.invalid('If-Match', 'must be the product version, e.g. "3"');
  return Number(match[1]);
}

/** The version a write expects, from the body or If-Match; `required` writes must send one. */
export function expectedVersion(
  body: number | undefined,
  ifMatch: string | string[] | undefined,
  required: boolean,
): number | undefined {
  const header = parseIfMatch(ifMatch);
  if (body !== undefined && header !== undefined && body !== header) {
    throw AppError.invalid('version', 'differs from If-Match');
  }
  const version = body ?? header;
  if (version === undefined && required) {
    throw AppError.invalid('version', 'is required: send the version you last read, or If-Match');
  }
  return version;
}

export const etag = (version: number) => `"${version}"`;
