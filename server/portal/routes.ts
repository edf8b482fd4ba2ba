import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import * as addresses from '../addresses/schemas.ts';
import { searchAddresses } from '../addresses/search.ts';
import type { WorkOrderOptions } from '../work-orders/service.ts';
import * as s from './schemas.ts';
import { findServices, publicService, reportProblem, sendComment, trackRequest } from './service.ts';

const anyone = { access: 'public' } as const;
/** Per address (the client's IP, or the proxy's forwarded one with TRUST_PROXY): generous for reading and looking up, tight for writing. */
const reading = { max: 120, timeWindow: '1 minute' };
const tracking = { max: 30, timeWindow: '1 minute' };
const writing = { max: 10, timeWindow: '10 minutes' };

/** The public portal's API, under /api/public: no sign-in, rate-limited per address. */
const portalRoutes: FastifyPluginAsync<WorkOrderOptions> = async (app, options) => {
  await app.register(rateLimit, { global: false });

  app.get<{ Querystring: FromSchema<typeof s.serviceSearchQuery> }>(
    '/public/services',
    { config: { ...anyone, rateLimit: reading }, schema: { querystring: s.serviceSearchQuery, response: { 200: s.serviceSearchResponse } } },
    async (request) => ({ hits: findServices(app.db, request.query.q, request.query.limit) }),
  );

  app.get<{ Params: FromSchema<typeof s.codeParams> }>(
    '/public/services/:code',
    { config: { ...anyone, rateLimit: reading }, schema: { params: s.codeParams, response: { 200: s.serviceResponse } } },
    async (request) => publicService(app.db, request.params.code),
  );

  app.get<{ Querystring: FromSchema<typeof addresses.searchQuery> }>(
    '/public/addresses',
    { config: { ...anyone, rateLimit: reading }, schema: { querystring: addresses.searchQuery, response: { 200: addresses.searchResponse } } },
    async (request) => ({ hits: searchAddresses(app.db, request.query.q ?? '', Math.min(request.query.limit, 10)) }),
  );

  app.post<{ Body: FromSchema<typeof s.reportBody> }>(
    '/public/reports',
    { config: { ...anyone, rateLimit: writing }, schema: { body: s.reportBody, response: { 201: s.reportResponse } } },
    async (request, reply) => reply.code(201).send(reportProblem(app.db, request.body, options)),
  );

  app.post<{ Body: FromSchema<typeof s.commentBody> }>(
    '/public/comments',
    { config: { ...anyone, rateLimit: writing }, schema: { body: s.commentBody, response: { 201: s.commentResponse } } },
    async (request, reply) => reply.code(201).send(sendComment(app.db, request.body)),
  );

  app.get<{ Params: FromSchema<typeof s.numberParams> }>(
    '/public/requests/:number',
    { config: { ...anyone, rateLimit: tracking }, schema: { params: s.numberParams, response: { 200: s.trackResponse } } },
    async (request) => trackRequest(app.db, request.params.number.trim()),
  );
};

export default portalRoutes;
