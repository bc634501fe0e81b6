/**
 * The one error commerce services throw for what a client did or can act on: an HTTP status,
 * a stable `code`, a message for people and plain-JSON `details` for programs.
 */
export class CommerceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CommerceError';
  }

  static notFound(code: string, message: string) {
    return new CommerceError(404, code, message);
  }

  static conflict(code: string, message: string, details?: Record<string, unknown>) {
    return new CommerceError(409, code, message, details);
  }
}
