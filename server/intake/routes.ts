// The clerk's desk: customer requests from the first second of a contact to their end.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import * as s from './schemas.ts';
import {
  addArticle,
  cancelRequest,
  completeRequest,
  convertRequest,
  createRequest,
  getRequest,
  listRequests,
  removeArticle,
  replyToRequest,
  requestHistory,
  updateRequest,
  type RequestChanges,
} from './service.ts';

type Number = { Params: FromSchema<typeof s.numberParams> };
const staff = { access: 'signed-in' } as const;
const one = { response: { 200: { $ref: 'CustomerRequest#' } } };

const intakeRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(s.requestResponse);
  const actor = (request: FastifyRequest) => actorOf(request.session!.user, request.ip);

  app.post<{ Body: FromSchema<typeof s.createBody>; Headers: FromSchema<typeof idempotencyHeaders> }>(
    '/requests',
    { config: staff, schema: { body: s.createBody, headers: idempotencyHeaders, response: { 201: { $ref: 'CustomerRequest#' } } } },
    async (request, reply) => {
      const { request: created, replayed } = createRequest(app.db, actor(request), request.body ?? {}, {
        scope: `user:${request.session!.user.id}`,
        key: request.headers['idempotency-key'],
        request: request.body ?? {},
      });
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(created);
    },
  );

  app.get<{ Querystring: FromSchema<typeof s.listQuery> }>('/requests', { config: staff, schema: { querystring: s.listQuery, response: { 200: s.listResponse } } }, async (request) =>
    listRequests(app.db, request.query),
  );

  app.get<Number>('/requests/:number', { config: staff, schema: { params: s.numberParams, ...one } }, async (request) => getRequest(app.db, request.params.number));

  // The body's type is written out: json-schema-to-ts cannot follow the nullable() helper.
  app.patch<Number & { Body: RequestChanges }>('/requests/:number', { config: staff, schema: { params: s.numberParams, body: s.updateBody, ...one } }, async (request) =>
    updateRequest(app.db, actor(request), request.params.number, request.body),
  );

  app.post<Number & { Body: FromSchema<typeof s.versionBody> }>('/requests/:number/complete', { config: staff, schema: { params: s.numberParams, body: s.versionBody, ...one } }, async (request) =>
    completeRequest(app.db, actor(request), request.params.number, request.body),
  );

  app.post<Number & { Body: FromSchema<typeof s.versionBody> }>('/requests/:number/convert', { config: staff, schema: { params: s.numberParams, body: s.versionBody, ...one } }, async (request) =>
    convertRequest(app.db, actor(request), request.params.number, request.body),
  );

  app.post<Number & { Body: FromSchema<typeof s.cancelBody> }>('/requests/:number/cancel', { config: staff, schema: { params: s.numberParams, body: s.cancelBody, ...one } }, async (request) =>
    cancelRequest(app.db, actor(request), request.params.number, request.body),
  );

  app.post<Number & { Body: FromSchema<typeof s.replyBody> }>('/requests/:number/reply', { config: staff, schema: { params: s.numberParams, body: s.replyBody, ...one } }, async (request) =>
    replyToRequest(app.db, actor(request), request.params.number, request.body),
  );

  app.post<Number & { Body: FromSchema<typeof s.articleBody> }>('/requests/:number/articles', { config: staff, schema: { params: s.numberParams, body: s.articleBody, ...one } }, async (request) =>
    addArticle(app.db, actor(request), request.params.number, request.body.slug),
  );

  app.delete<{ Params: FromSchema<typeof s.articleParams> }>('/requests/:number/articles/:slug', { config: staff, schema: { params: s.articleParams, ...one } }, async (request) =>
    removeArticle(app.db, actor(request), request.params.number, request.params.slug),
  );

  app.get<Number>('/requests/:number/history', { config: staff, schema: { params: s.numberParams, response: { 200: s.historyResponse } } }, async (request) => ({
    items: requestHistory(app.db, request.params.number),
  }));
};

export default intakeRoutes;
