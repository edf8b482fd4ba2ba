// One error shape for the whole API: { statusCode, code, error, message, details? }.
// Domain errors keep their code; Fastify's own errors are mapped; anything else is a masked 500.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError, httpStatusOf, type ErrorCode, type FieldProblem } from '../errors.ts';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  error: string;
  message: string;
  details?: FieldProblem[];
}

export function errorBody(code: ErrorCode, message: string, details?: FieldProblem[]): ErrorBody {
  const statusCode = httpStatusOf(code);
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(details ? { details } : {}) };
}

type Validation = NonNullable<FastifyError['validation']>[number];

/** Names the offending field of an ajv error as a pointer such as `/body/name`. */
function fieldOf(context: string | undefined, v: Validation): string {
  const params = v.params as Record<string, unknown>;
  let path = v.instancePath;
  if (typeof params.missingProperty === 'string') path += `/${params.missingProperty}`;
  if (typeof params.additionalProperty === 'string') path += `/${params.additionalProperty}`;
  return `/${context ?? 'body'}${path}`;
}

function messageOf(v: Validation): string {
  const params = v.params as Record<string, unknown>;
  switch (v.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'minLength':
      return params.limit === 1 ? 'is required' : `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'minProperties':
      // Only update bodies use it: a version and at least one field to change.
      return 'must contain at least one field to change';
    case 'minimum':
      return `must be ${String(params.limit)} or more`;
    case 'maximum':
      return `must be ${String(params.limit)} or less`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'pattern':
    case 'format': {
      // A regular expression means nothing to a clerk: schemas describe the expected form in words.
      const description = (v as { parentSchema?: { description?: string } }).parentSchema?.description;
      return description ? `must be ${description}` : v.message ?? 'is not valid';
    }
    default:
      return v.message ?? 'is not valid';
  }
}

function fastifyErrorCode(error: FastifyError, statusCode: number): ErrorCode {
  switch (statusCode) {
    case 400:
      // A body that is not JSON, or empty where JSON was announced, is bad input; anything else is a bad request.
      return error.code?.startsWith('FST_ERR_CTP_') ? 'VALIDATION_FAILED' : 'BAD_REQUEST';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 416:
      return 'RANGE_NOT_SATISFIABLE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'BAD_REQUEST';
  }
}

export function sendError(reply: FastifyReply, body: ErrorBody): FastifyReply {
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof DomainError) {
        if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
        return sendError(reply, errorBody(error.code, error.message, error.details));
      }
      if (error.validation) {
        // One message per field: an empty name breaks both minLength and pattern, but says one thing.
        const byField = new Map<string, string>();
        for (const v of error.validation) {
          const field = fieldOf(error.validationContext, v);
          if (!byField.has(field)) byField.set(field, messageOf(v));
        }
        const details = [...byField].map(([field, message]) => ({ field, message }));
        const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
        return sendError(reply, errorBody('VALIDATION_FAILED', `The request is not valid: ${summary}`, details));
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Fastify's own client errors (bad JSON, wrong content type, body too large) carry safe messages.
        return sendError(reply, errorBody(fastifyErrorCode(error, status), error.message));
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendError(reply, errorBody('INTERNAL', 'Something went wrong on our side. The error has been logged.'));
    });
  },
  { name: 'errors' },
);
