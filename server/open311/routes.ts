// Open311 GeoReport v2 (read side), registered under /open311/v2. The format is the URL's suffix
// (.json or .xml); every answer, errors included, is in that format and in the specification's shape.
// This scope has its own error and not-found handlers, so nothing under /open311/v2 answers in the
// staff API's error shape.
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { DomainError } from '../errors.ts';
import { errorsOf, formatOf, formatOfUrl, sendDocument, sendErrors, type Format } from './format.ts';
import * as s from './schemas.ts';
import { submitServiceRequest, type FormFields } from './submit.ts';
import type { WorkOrderOptions } from '../work-orders/service.ts';
import { assertJurisdiction, discovery, getServiceRequest, listServiceRequests, listServices, requestOfToken, serviceDefinition } from './service.ts';

export interface Open311Options extends WorkOrderOptions {
  /** OPEN311_JURISDICTION_ID; without it, the city's name as a slug. */
  jurisdictionId?: string;
  /** What discovery calls this endpoint: production, or test outside production. */
  endpointType: 'production' | 'test';
}

export const open311Prefix = '/open311/v2';

type WithFormat = { Params: { format: string } };
const open = { access: 'public' } as const;

/** The format asked for by the route's suffix; an unknown one names no resource here. */
function formatFor(request: FastifyRequest): Format {
  const suffix = (request.params as { format?: string }).format ?? '';
  const format = formatOf(suffix);
  if (!format) throw new DomainError('NOT_FOUND', `${request.url.split('?')[0]} was not found: the formats are .xml and .json.`);
  return format;
}

/** Sends any error of this scope in the specification's form; unexpected ones are logged and masked. */
function sendError(error: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const format = formatOfUrl(request.url);
  if (error instanceof DomainError) {
    if (error.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(error.retryAfterSeconds));
    const { status, errors } = errorsOf(error);
    return sendErrors(reply, format, status, errors);
  }
  if (error.validation) {
    const errors = error.validation.map((v) => {
      const name = v.instancePath.replace(/^\//, '') || String((v.params as { missingProperty?: string }).missingProperty ?? error.validationContext ?? 'argument');
      return { code: 400, description: `${name} ${v.message ?? 'is not valid'}` };
    });
    return sendErrors(reply, format, 400, errors);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendErrors(reply, format, status, [{ code: status, description: error.message }]);
  request.log.error({ err: error }, 'unhandled error');
  // The specification's "general service error" is a 400 the client should tell the city about.
  return sendErrors(reply, format, 400, [{ code: 400, description: 'General service error: something went wrong on our side. It has been logged; please tell the city if it persists.' }]);
}

const open311Routes: FastifyPluginAsync<Open311Options> = async (app, options) => {
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) =>
    sendErrors(reply, formatOfUrl(request.url), 404, [{ code: 404, description: `${request.method} ${request.url.split('?')[0]} was not found: see discovery.xml for what this endpoint offers.` }]),
  );

  // What anyone may read, any site's page may read too (a partner's map of open requests). Writes stay
  // same-origin for browsers: a partner's key belongs on its server, not in a web page.
  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') void reply.header('access-control-allow-origin', '*');
  });

  // Before the schemas: an unknown format is a resource that does not exist, whatever the arguments.
  // An argument sent empty is an argument not sent ("Optional Arguments" in the specification); one
  // sent twice is one comma-separated list, which is how lists are written.
  app.addHook('preValidation', async (request) => {
    if (request.is404) return;
    formatFor(request);
    const query = request.query as Record<string, string | string[] | undefined>;
    for (const [key, value] of Object.entries(query)) {
      const text = (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
      if (text === '' || (Array.isArray(value) && value.every((v) => v.trim() === ''))) delete query[key];
      else query[key] = text;
    }
    // Discovery is the one document that lies above jurisdictions.
    if (!request.routeOptions.url?.endsWith('/discovery.:format')) assertJurisdiction(app.db, options.jurisdictionId, query.jurisdiction_id as string | undefined);
  });

  app.get<WithFormat>('/discovery.:format', { config: open, schema: { params: s.formatParams, querystring: s.commonQuery, response: { 200: s.discoveryResponse } } }, async (request, reply) =>
    sendDocument(reply, formatFor(request), 'discovery', discovery(app.db, { url: `${request.protocol}://${request.host}${open311Prefix}`, type: options.endpointType })),
  );

  app.get<WithFormat>('/services.:format', { config: open, schema: { params: s.formatParams, querystring: s.commonQuery, response: { 200: s.servicesResponse } } }, async (request, reply) =>
    sendDocument(reply, formatFor(request), 'services', listServices(app.db)),
  );

  app.get<{ Params: FromSchema<typeof s.serviceParams> }>(
    '/services/:service_code.:format',
    { config: open, schema: { params: s.serviceParams, querystring: s.commonQuery, response: { 200: s.definitionResponse } } },
    async (request, reply) => sendDocument(reply, formatFor(request), 'service_definition', serviceDefinition(app.db, request.params.service_code)),
  );

  // Partners post forms (application/x-www-form-urlencoded), as the specification has them.
  await app.register(formbody);
  app.post<WithFormat & { Body: FormFields }>(
    '/requests.:format',
    { config: open, schema: { params: s.formatParams, response: { 201: s.submittedResponse } } },
    async (request, reply) => {
      const submitted = submitServiceRequest(app.db, request.body ?? {}, options);
      return sendDocument(reply.code(201), formatFor(request), 'service_requests', [submitted]);
    },
  );

  app.get<WithFormat & { Querystring: FromSchema<typeof s.requestsQuery> }>(
    '/requests.:format',
    { config: open, schema: { params: s.formatParams, querystring: s.requestsQuery, response: { 200: s.requestsResponse } } },
    async (request, reply) => sendDocument(reply, formatFor(request), 'service_requests', listServiceRequests(app.db, request.query)),
  );

  app.get<{ Params: FromSchema<typeof s.requestParams>; Querystring: FromSchema<typeof s.requestQuery> }>(
    '/requests/:service_request_id.:format',
    { config: open, schema: { params: s.requestParams, querystring: s.requestQuery, response: { 200: s.requestsResponse } } },
    async (request, reply) => sendDocument(reply, formatFor(request), 'service_requests', getServiceRequest(app.db, request.params.service_request_id, request.query)),
  );

  app.get<{ Params: FromSchema<typeof s.tokenParams> }>(
    '/tokens/:token.:format',
    { config: open, schema: { params: s.tokenParams, querystring: s.commonQuery, response: { 200: s.tokenResponse } } },
    async (request, reply) => sendDocument(reply, formatFor(request), 'service_requests', requestOfToken(app.db, request.params.token)),
  );
};

export default open311Routes;
