// Reports, for dispatchers and administrators: each as JSON for the dashboard's charts, and each of its
// tables as CSV (…/volumes.csv?table=channel&from=…), named after the report, the table and the period.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import * as s from './schemas.ts';
import { deskCsv, deskReport, knowledgeBaseCsv, knowledgeBaseReport, serviceLevelCsv, serviceLevelReport, volumeCsv, volumeReport } from './service.ts';

const managers = { access: ['dispatcher'] } as const;

function sendCsv(reply: FastifyReply, report: string, table: string, made: { csv: string; range: { from: string; to: string } }) {
  const name = `${report}-${table}-${made.range.from}-to-${made.range.to}.csv`;
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(made.csv);
}

const reportRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: FromSchema<typeof s.volumeQuery> }>('/reports/volumes', { config: managers, schema: { querystring: s.volumeQuery, response: { 200: s.volumeResponse } } }, async (request) =>
    volumeReport(app.db, request.query),
  );
  app.get<{ Querystring: FromSchema<typeof s.volumeCsvQuery> }>('/reports/volumes.csv', { config: managers, schema: { querystring: s.volumeCsvQuery, response: { 200: s.csvResponse } } }, async (request, reply) =>
    sendCsv(reply, 'volumes', request.query.table, volumeCsv(app.db, request.query)),
  );

  app.get<{ Querystring: FromSchema<typeof s.serviceLevelQuery> }>('/reports/service-levels', { config: managers, schema: { querystring: s.serviceLevelQuery, response: { 200: s.serviceLevelResponse } } }, async (request) =>
    serviceLevelReport(app.db, request.query),
  );
  app.get<{ Querystring: FromSchema<typeof s.serviceLevelCsvQuery> }>(
    '/reports/service-levels.csv',
    { config: managers, schema: { querystring: s.serviceLevelCsvQuery, response: { 200: s.csvResponse } } },
    async (request, reply) => sendCsv(reply, 'service-levels', request.query.table, serviceLevelCsv(app.db, request.query)),
  );

  app.get<{ Querystring: FromSchema<typeof s.deskQuery> }>('/reports/desk', { config: managers, schema: { querystring: s.deskQuery, response: { 200: s.deskResponse } } }, async (request) =>
    deskReport(app.db, request.query),
  );
  app.get<{ Querystring: FromSchema<typeof s.deskCsvQuery> }>('/reports/desk.csv', { config: managers, schema: { querystring: s.deskCsvQuery, response: { 200: s.csvResponse } } }, async (request, reply) =>
    sendCsv(reply, 'desk', request.query.table, deskCsv(app.db, request.query)),
  );

  app.get<{ Querystring: FromSchema<typeof s.knowledgeBaseQuery> }>(
    '/reports/knowledge-base',
    { config: managers, schema: { querystring: s.knowledgeBaseQuery, response: { 200: s.knowledgeBaseResponse } } },
    async (request) => knowledgeBaseReport(app.db, request.query),
  );
  app.get<{ Querystring: FromSchema<typeof s.knowledgeBaseCsvQuery> }>(
    '/reports/knowledge-base.csv',
    { config: managers, schema: { querystring: s.knowledgeBaseCsvQuery, response: { 200: s.csvResponse } } },
    async (request, reply) => sendCsv(reply, 'knowledge-base', request.query.table, knowledgeBaseCsv(app.db, request.query)),
  );
};

export default reportRoutes;
