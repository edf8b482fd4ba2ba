// Domain errors: services throw these with a stable code; the error plugin maps codes to HTTP statuses.
// Services never import Fastify, so this module must not either.

export const errorCodes = [
  'VALIDATION_FAILED',
  'BAD_REQUEST',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'CONFLICT',
  'VERSION_CONFLICT',
  'UNAUTHENTICATED',
  'LOGIN_FAILED',
  'LOGIN_LOCKED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'USERNAME_TAKEN',
  'LAST_ADMIN',
  'INVALID_STATE',
  'PROBLEM_CODE_RETIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RANGE_NOT_SATISFIABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FieldProblem {
  /** The field, as a JSON pointer into the request part it came from, e.g. `/body/name`. */
  field: string;
  message: string;
}

/** A validation error about one field, in the shape route schemas produce. */
export function fieldError(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `The request is not valid: ${field} ${message}`, [{ field, message }]);
}

/** Throws one VALIDATION_FAILED naming every problem, when there are any; `subject` opens the message. */
export function assertNoProblems(problems: FieldProblem[], subject = 'The request'): void {
  if (problems.length > 0) {
    throw new DomainError('VALIDATION_FAILED', `${subject} is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  }
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    /** Seconds after which a retry may succeed (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Every code has exactly one HTTP status; the switch is exhaustive so a new code cannot be forgotten. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      return 400;
    case 'UNAUTHENTICATED':
    case 'LOGIN_FAILED':
      return 401;
    case 'FORBIDDEN':
    case 'CSRF_REJECTED':
      return 403;
    case 'NOT_FOUND':
    case 'ROUTE_NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'VERSION_CONFLICT':
    case 'USERNAME_TAKEN':
    case 'LAST_ADMIN':
    case 'INVALID_STATE':
      return 409;
    case 'PROBLEM_CODE_RETIRED':
    case 'IDEMPOTENCY_KEY_REUSED':
      return 422;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RANGE_NOT_SATISFIABLE':
      return 416;
    case 'RATE_LIMITED':
    case 'LOGIN_LOCKED':
      return 429;
    case 'INTERNAL':
      return 500;
    default: {
      const unreachable: never = code;
      throw new Error(`no HTTP status for error code ${String(unreachable)}`);
    }
  }
}
