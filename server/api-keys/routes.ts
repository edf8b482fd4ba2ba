// API keys of the city's Open311 partners: administrators make, list, limit and revoke them.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import * as s from './schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey, updateApiKey } from './service.ts';

const admin = { access: ['admin'] } as const;
type Id = { Params: FromSchema<typeof s.keyParams> };

const apiKeyRoutes: FastifyPluginAsync = async (app) => {
  const actor = (request: FastifyRequest) => actorOf(request.session!.user, request.ip);

  app.get('/api-keys', { config: admin, schema: { response: { 200: s.listResponse } } }, async () => ({ items: listApiKeys(app.db) }));

  app.post<{ Body: FromSchema<typeof s.createBody> }>('/api-keys', { config: admin, schema: { body: s.createBody, response: { 201: s.createdResponse } } }, async (request, reply) =>
    reply.code(201).send(createApiKey(app.db, actor(request), request.body)),
  );

  app.patch<Id & { Body: FromSchema<typeof s.updateBody> }>('/api-keys/:id', { config: admin, schema: { params: s.keyParams, body: s.updateBody, response: { 200: s.keyResponse } } }, async (request) =>
    updateApiKey(app.db, actor(request), request.params.id, request.body),
  );

  app.post<Id & { Body: FromSchema<typeof s.versionBody> }>('/api-keys/:id/revoke', { config: admin, schema: { params: s.keyParams, body: s.versionBody, response: { 200: s.keyResponse } } }, async (request) =>
    revokeApiKey(app.db, actor(request), request.params.id, request.body),
  );
};

export default apiKeyRoutes;
