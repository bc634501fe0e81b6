import { createHash } from 'node:crypto';

/** SHA-256 of the bytes as lowercase hex: the content address callers store objects under. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
