// Answers owed to customers whose work is done: the outbox staff send from and mark done.
import type { FastifyPluginAsync } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import * as s from './schemas.ts';
import { listAnswersOwed, markAnswerDone } from './service.ts';

const staff = { access: 'signed-in' } as const;

const outboxRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: FromSchema<typeof s.outboxQuery> }>('/answers-owed', { config: staff, schema: { querystring: s.outboxQuery, response: { 200: s.outboxResponse } } }, async (request) =>
    listAnswersOwed(app.db, request.query),
  );

  app.post<{ Params: FromSchema<typeof s.entryParams>; Body: FromSchema<typeof s.doneBody> }>(
    '/answers-owed/:id/done',
    { config: staff, schema: { params: s.entryParams, body: s.doneBody, response: { 200: s.entry } } },
    async (request) => markAnswerDone(app.db, actorOf(request.session!.user, request.ip), request.params.id, request.body?.note ?? ''),
  );
};

export default outboxRoutes;
