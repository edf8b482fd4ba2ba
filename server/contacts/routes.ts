import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import * as s from './schemas.ts';
import { searchContacts } from './search.ts';
import { createContact, getContact, updateContact } from './service.ts';

type Params = { Params: FromSchema<typeof s.idParams> };
const staff = { access: 'signed-in' } as const;

/** Callers for the clerk's desk, under /api/contacts. */
const contactsRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(s.contactSchema);
  const actor = (request: FastifyRequest) => actorOf(request.session!.user, request.ip);
  const contact = { $ref: 'Contact#' };

  app.get<{ Querystring: FromSchema<typeof s.searchQuery> }>('/contacts', { config: staff, schema: { querystring: s.searchQuery, response: { 200: s.searchResponse } } }, async (request) => ({
    hits: searchContacts(app.db, request.query.q, { limit: request.query.limit }),
  }));

  app.post<{ Body: FromSchema<typeof s.createBody>; Headers: FromSchema<typeof idempotencyHeaders> }>(
    '/contacts',
    { config: staff, schema: { headers: idempotencyHeaders, body: s.createBody, response: { 201: contact } } },
    async (request, reply) => {
      // A replay answers as the first creation did: 201 with the same contact.
      const { contact: created } = createContact(app.db, actor(request), request.body, { scope: `user:${request.session!.user.id}`, key: request.headers['idempotency-key'] });
      return reply.code(201).send(created);
    },
  );

  app.get<Params>('/contacts/:id', { config: staff, schema: { params: s.idParams, response: { 200: contact } } }, async (request) => getContact(app.db, request.params.id));

  app.put<Params & { Body: FromSchema<typeof s.updateBody> }>('/contacts/:id', { config: staff, schema: { params: s.idParams, body: s.updateBody, response: { 200: contact } } }, async (request) =>
    updateContact(app.db, actor(request), request.params.id, request.body),
  );
};

export default contactsRoutes;
