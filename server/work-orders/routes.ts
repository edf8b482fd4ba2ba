// Work orders: a ready action request's duplicates and its work order (the desk), and the dispatch
// queue with each work order's life (dispatchers).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import { numberParams, requestResponse } from '../intake/schemas.ts';
import * as s from './schemas.ts';
import {
  addNote,
  fileRequest,
  getWorkOrder,
  listWorkOrders,
  mergeWorkOrder,
  moveWorkOrder,
  reopenWorkOrder,
  requestDuplicates,
  splitRequest,
  updateWorkOrder,
  workOrderHistory,
  type Decision,
  type WorkOrderChanges,
  type WorkOrderOptions,
} from './service.ts';

type RequestNumber = { Params: FromSchema<typeof numberParams> };
type Number = { Params: FromSchema<typeof s.workOrderParams> };
const staff = { access: 'signed-in' } as const;
const dispatch = { access: ['dispatcher'] } as const;
const one = { response: { 200: { $ref: 'WorkOrder#' } } };

const workOrderRoutes: FastifyPluginAsync<WorkOrderOptions> = async (app, options) => {
  app.addSchema(requestResponse);
  app.addSchema(s.workOrderResponse);
  const actor = (request: FastifyRequest) => actorOf(request.session!.user, request.ip);

  app.get<RequestNumber>('/requests/:number/duplicates', { config: staff, schema: { params: numberParams, response: { 200: s.duplicatesResponse } } }, async (request) =>
    requestDuplicates(app.db, request.params.number, options),
  );

  // The body's type is written out: json-schema-to-ts does not narrow the if/then.
  app.post<RequestNumber & { Body: Decision }>('/requests/:number/work-order', { config: staff, schema: { params: numberParams, body: s.fileBody, response: { 200: s.fileResponse } } }, async (request) =>
    fileRequest(app.db, actor(request), request.params.number, request.body, options),
  );

  app.get<{ Querystring: FromSchema<typeof s.queueQuery> }>('/work-orders', { config: staff, schema: { querystring: s.queueQuery, response: { 200: s.queueResponse } } }, async (request) =>
    listWorkOrders(app.db, request.query),
  );

  app.get<Number>('/work-orders/:number', { config: staff, schema: { params: s.workOrderParams, ...one } }, async (request) => getWorkOrder(app.db, request.params.number, options));

  app.get<Number>('/work-orders/:number/history', { config: staff, schema: { params: s.workOrderParams, response: { 200: s.historyResponse } } }, async (request) => ({
    items: workOrderHistory(app.db, request.params.number),
  }));

  app.patch<Number & { Body: WorkOrderChanges }>('/work-orders/:number', { config: dispatch, schema: { params: s.workOrderParams, body: s.updateBody, ...one } }, async (request) =>
    updateWorkOrder(app.db, actor(request), request.params.number, request.body, options),
  );

  app.post<Number & { Body: FromSchema<typeof s.statusBody> }>('/work-orders/:number/status', { config: dispatch, schema: { params: s.workOrderParams, body: s.statusBody, ...one } }, async (request) =>
    moveWorkOrder(app.db, actor(request), request.params.number, request.body, options),
  );

  app.post<Number & { Body: FromSchema<typeof s.reopenBody> }>('/work-orders/:number/reopen', { config: dispatch, schema: { params: s.workOrderParams, body: s.reopenBody, ...one } }, async (request) =>
    reopenWorkOrder(app.db, actor(request), request.params.number, request.body, options),
  );

  app.post<Number & { Body: FromSchema<typeof s.noteBody> }>('/work-orders/:number/notes', { config: dispatch, schema: { params: s.workOrderParams, body: s.noteBody, ...one } }, async (request) =>
    addNote(app.db, actor(request), request.params.number, request.body.text, options),
  );

  app.post<Number & { Body: FromSchema<typeof s.mergeBody> }>('/work-orders/:number/merge', { config: dispatch, schema: { params: s.workOrderParams, body: s.mergeBody, response: { 200: s.mergeResponse } } }, async (request) =>
    mergeWorkOrder(app.db, actor(request), request.params.number, request.body, options),
  );

  app.post<Number & { Body: FromSchema<typeof s.splitBody> }>('/work-orders/:number/split', { config: dispatch, schema: { params: s.workOrderParams, body: s.splitBody, response: { 200: s.splitResponse } } }, async (request) =>
    splitRequest(app.db, actor(request), request.params.number, request.body, options),
  );
};

export default workOrderRoutes;
