import type { FastifyPluginAsync } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import * as addresses from '../addresses/schemas.ts';
import { limitPerAddress, openTo } from '../public-routes.ts';
import { searchAddresses } from '../addresses/search.ts';
import type { WorkOrderOptions } from '../work-orders/service.ts';
import * as s from './schemas.ts';
import { findServices, publicService, reportProblem, sendComment, trackRequest } from './service.ts';


/** The public portal's API, under /api/public: no sign-in, rate-limited per address. */
const portalRoutes: FastifyPluginAsync<WorkOrderOptions> = async (app, options) => {
  await limitPerAddress(app);

  app.get<{ Querystring: FromSchema<typeof s.serviceSearchQuery> }>(
    '/public/services',
    { config: openTo('reading'), schema: { querystring: s.serviceSearchQuery, response: { 200: s.serviceSearchResponse } } },
    async (request) => ({ hits: findServices(app.db, request.query.q, request.query.limit) }),
  );

  app.get<{ Params: FromSchema<typeof s.codeParams> }>(
    '/public/services/:code',
    { config: openTo('reading'), schema: { params: s.codeParams, response: { 200: s.serviceResponse } } },
    async (request) => publicService(app.db, request.params.code),
  );

  app.get<{ Querystring: FromSchema<typeof addresses.searchQuery> }>(
    '/public/addresses',
    { config: openTo('reading'), schema: { querystring: addresses.searchQuery, response: { 200: addresses.searchResponse } } },
    async (request) => ({ hits: searchAddresses(app.db, request.query.q ?? '', Math.min(request.query.limit, 10)) }),
  );

  app.post<{ Body: FromSchema<typeof s.reportBody> }>(
    '/public/reports',
    { config: openTo('writing'), schema: { body: s.reportBody, response: { 201: s.reportResponse } } },
    async (request, reply) => reply.code(201).send(reportProblem(app.db, request.body, options)),
  );

  app.post<{ Body: FromSchema<typeof s.commentBody> }>(
    '/public/comments',
    { config: openTo('writing'), schema: { body: s.commentBody, response: { 201: s.commentResponse } } },
    async (request, reply) => reply.code(201).send(sendComment(app.db, request.body)),
  );

  app.get<{ Params: FromSchema<typeof s.numberParams> }>(
    '/public/requests/:number',
    { config: openTo('lookingUp'), schema: { params: s.numberParams, response: { 200: s.trackResponse } } },
    async (request) => trackRequest(app.db, request.params.number.trim()),
  );
};

export default portalRoutes;
