import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import { auditListResponse } from '../audit/schemas.ts';
import * as s from './schemas.ts';
import { searchProblemCodes } from './search.ts';
import { createNode, getNode, getTree, moveNode, nodeHistory, reactivateNode, retireNode, updateNode } from './service.ts';

type Params = { Params: FromSchema<typeof s.codeParams> };
const admin = { access: ['admin'] } as const;
const staff = { access: 'signed-in' } as const;

const hierarchyRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(s.treeNodeSchema);
  app.addSchema(s.nodeDetailSchema);
  const actor = (request: FastifyRequest) => actorOf(request.session!.user, request.ip);

  app.get<{ Querystring: FromSchema<typeof s.treeQuery> }>(
    '/hierarchy/tree',
    { config: staff, schema: { querystring: s.treeQuery, response: { 200: s.treeResponse } } },
    async (request) => getTree(app.db, request.query.includeRetired),
  );

  app.get<{ Querystring: FromSchema<typeof s.searchQuery> }>(
    '/hierarchy/search',
    { config: staff, schema: { querystring: s.searchQuery, response: { 200: s.searchResponse } } },
    async (request) => ({ hits: searchProblemCodes(app.db, request.query.q, { limit: request.query.limit, includeRetired: request.query.includeRetired }) }),
  );

  app.get<Params>('/hierarchy/nodes/:code', { config: staff, schema: { params: s.codeParams, response: { 200: { $ref: 'HierarchyNode#' } } } }, async (request) =>
    getNode(app.db, request.params.code),
  );

  app.get<Params & { Querystring: FromSchema<typeof s.historyQuery> }>(
    '/hierarchy/nodes/:code/history',
    { config: admin, schema: { params: s.codeParams, querystring: s.historyQuery, response: { 200: auditListResponse } } },
    async (request) => nodeHistory(app.db, request.params.code, request.query.limit),
  );

  app.post<{ Body: FromSchema<typeof s.createBody> }>(
    '/hierarchy/nodes',
    { config: admin, schema: { body: s.createBody, response: { 201: { $ref: 'HierarchyNode#' } } } },
    async (request, reply) => reply.code(201).send(createNode(app.db, actor(request), { ...request.body, parentCode: request.body.parentCode ?? null })),
  );

  app.patch<Params & { Body: FromSchema<typeof s.updateBody> }>(
    '/hierarchy/nodes/:code',
    { config: admin, schema: { params: s.codeParams, body: s.updateBody, response: { 200: { $ref: 'HierarchyNode#' } } } },
    async (request) => updateNode(app.db, actor(request), request.params.code, request.body),
  );

  app.post<Params & { Body: FromSchema<typeof s.moveBody> }>(
    '/hierarchy/nodes/:code/move',
    { config: admin, schema: { params: s.codeParams, body: s.moveBody, response: { 200: { $ref: 'HierarchyNode#' } } } },
    async (request) => moveNode(app.db, actor(request), request.params.code, request.body),
  );

  app.post<Params & { Body: FromSchema<typeof s.retireBody> }>(
    '/hierarchy/nodes/:code/retire',
    { config: admin, schema: { params: s.codeParams, body: s.retireBody, response: { 200: { $ref: 'HierarchyNode#' } } } },
    async (request) => retireNode(app.db, actor(request), request.params.code, request.body),
  );

  app.post<Params & { Body: FromSchema<typeof s.reactivateBody> }>(
    '/hierarchy/nodes/:code/reactivate',
    { config: admin, schema: { params: s.codeParams, body: s.reactivateBody, response: { 200: { $ref: 'HierarchyNode#' } } } },
    async (request) => reactivateNode(app.db, actor(request), request.params.code, request.body),
  );
};

export default hierarchyRoutes;
