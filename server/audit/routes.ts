import type { FastifyPluginAsync } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { auditListResponse, auditQuery } from './schemas.ts';
import { listAudit } from './service.ts';

const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: FromSchema<typeof auditQuery> }>(
    '/audit',
    { config: { access: ['admin'] }, schema: { querystring: auditQuery, response: { 200: auditListResponse } } },
    async (request) => listAudit(app.db, request.query),
  );
};

export default auditRoutes;
