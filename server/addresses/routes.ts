import type { FastifyPluginAsync } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import * as s from './schemas.ts';
import { searchAddresses } from './search.ts';
import { getAddress } from './service.ts';

const staff = { access: 'signed-in' } as const;

/** The address registry the desk types into, under /api/addresses. */
const addressesRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: FromSchema<typeof s.searchQuery> }>(
    '/addresses',
    { config: staff, schema: { querystring: s.searchQuery, response: { 200: s.searchResponse } } },
    async (request) => ({ hits: searchAddresses(app.db, request.query.q ?? '', request.query.limit) }),
  );

  app.get<{ Params: FromSchema<typeof s.idParams> }>(
    '/addresses/:id',
    { config: staff, schema: { params: s.idParams, response: { 200: s.addressResponse } } },
    async (request) => getAddress(app.db, request.params.id),
  );
};

export default addressesRoutes;
