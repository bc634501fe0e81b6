/**
 * The database could not be reached, or dropped the session: nothing about the statement
 * itself. The API answers 503 with Retry-After for it, never 500. Only the Postgres adapter
 * throws it (PGlite lives in the process and cannot go away); `cause` is the driver's error.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';

  constructor(cause: unknown) {
    super(`database unavailable (${reason(cause)})`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** True when `error`, or an error it wraps (drizzle's DrizzleQueryError), is a DatabaseUnavailableError. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
  }
  return false;
}

/**
 * Connection exceptions (08xxx), the server shutting down or starting up (57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now) and too_many_connections (53300).
 */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** The socket to the server failed: refused, reset, unreachable, name lookup failed. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres says, without a code, when the session it was using is gone. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^timeout exceeded when trying to connect/,
];

/** Whether an error the pg driver raised for a statement means the session or server is gone. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SQLSTATE.test(code) || SOCKET_CODES.has(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  return DRIVER_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * Short enough for /api/readyz, which anyone can read: the SQLSTATE and the server's message,
 * or a socket error's code, never the address it was connecting to.
 */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof AggregateError && error.errors[0]) return reason(error.errors[0]);
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof code === 'string' && syscall !== undefined) return code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}
