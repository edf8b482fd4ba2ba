import { priorities, workOrderStatuses } from '../../db/schema/work-orders.ts';
import { auditListResponse } from '../audit/schemas.ts';

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const version = { type: 'integer', minimum: 1 } as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] }) as const;
export const workOrderNumber = { type: 'string', pattern: '^W[0-9]{4}-[0-9]{6,}$', description: 'a work order number like W2026-000031' } as const;
const requestNumber = { type: 'string', pattern: '^[0-9]{4}-[0-9]{6,}$', description: 'a request number like 2026-004217' } as const;
const code = { type: 'string', minLength: 1, maxLength: 40 } as const;
const note = { type: 'string', maxLength: 4000 } as const;

export const workOrderParams = { type: 'object', additionalProperties: false, required: ['number'], properties: { number: workOrderNumber } } as const;

export const queueQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    department: code,
    provider: code,
    problemCode: code,
    status: { type: 'string', enum: [...workOrderStatuses, 'open', 'closed', 'all'], default: 'open' },
    priority: { type: 'string', enum: priorities },
    overdue: { type: 'boolean' },
    assignee: { type: 'string', minLength: 1, maxLength: 100 },
    number: { type: 'string', pattern: '^W[0-9-]{0,12}$', description: 'a work order number or its beginning' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  },
} as const;

const classification = {
  type: 'object',
  additionalProperties: false,
  properties: { code: str, name: str, path: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { level: str, code: str, name: str } } } },
} as const;

export const candidate = {
  type: 'object',
  additionalProperties: false,
  properties: {
    number: str,
    status: str,
    classification,
    locationText: str,
    assignee: str,
    createdAt: str,
    dueAt: str,
    distanceMeters: { type: ['number', 'null'] },
    callers: { type: 'integer' },
    score: { type: 'number' },
    strong: { type: 'boolean' },
    reasons: { type: 'array', items: str },
  },
} as const;

const rule = nullable({
  type: 'object',
  additionalProperties: false,
  properties: { radiusMeters: { type: 'number' }, windowDays: { type: 'number' }, scope: str, matchAttribute: strOrNull },
});

export const duplicatesResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['request', 'rule', 'candidates'],
  properties: { request: str, rule, candidates: { type: 'array', items: candidate } },
} as const;

export const fileBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'decision'],
  properties: {
    version,
    decision: { type: 'string', enum: ['link', 'create', 'auto'], description: 'link to `workOrder`, create a new work order (with `reason` when duplicates exist), or decide automatically' },
    workOrder: workOrderNumber,
    reason: { type: 'string', maxLength: 1000 },
  },
  if: { properties: { decision: { const: 'link' } } },
  then: { required: ['workOrder'] },
} as const;

export const fileResponse = {
  type: 'object',
  additionalProperties: false,
  properties: { request: { $ref: 'CustomerRequest#' }, workOrder: str, linked: { type: 'boolean' }, candidates: { type: 'array', items: candidate } },
} as const;

const node = { type: 'object', additionalProperties: false, properties: { code: str, name: str, status: str } } as const;
const task = { type: 'object', additionalProperties: false, properties: { text: str, done: { type: 'boolean' }, doneAt: strOrNull, doneBy: strOrNull } } as const;

export const workOrderResponse = {
  $id: 'WorkOrder',
  type: 'object',
  additionalProperties: false,
  properties: {
    number: str,
    status: str,
    priority: str,
    workType: str,
    classification,
    problemCode: node,
    provider: node,
    department: node,
    assignee: str,
    tasks: { type: 'array', items: task },
    description: str,
    location: {
      type: 'object',
      additionalProperties: false,
      properties: { addressId: { type: ['integer', 'null'] }, text: str, latitude: { type: ['number', 'null'] }, longitude: { type: ['number', 'null'] } },
    },
    matchValue: strOrNull,
    temporaryDueAt: strOrNull,
    dueAt: str,
    overdue: { type: 'boolean' },
    resolution: str,
    duplicateOf: strOrNull,
    mergedHere: { type: 'array', items: str },
    createdAt: str,
    updatedAt: str,
    closedAt: strOrNull,
    version: { type: 'integer' },
    transitions: { type: 'array', items: str },
    reopenUntil: strOrNull,
    requests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          number: str,
          status: str,
          channel: str,
          description: str,
          locationText: str,
          contactName: strOrNull,
          contactPhone: strOrNull,
          replyWanted: { type: 'boolean' },
          replyMethod: strOrNull,
          replyTo: str,
          promisedAt: strOrNull,
          startedAt: str,
        },
      },
    },
    notes: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { id: { type: 'integer' }, text: str, at: str, author: strOrNull } } },
  },
} as const;

export const queueResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'totalIsAtLeast'],
  properties: {
    total: { type: 'integer', description: 'how many work orders match, counted up to 10,000' },
    totalIsAtLeast: { type: 'boolean', description: 'true when more match than were counted: "10,000 or more"' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          number: str,
          status: str,
          priority: str,
          workType: str,
          problemCode: str,
          problemName: str,
          providerName: str,
          assignee: str,
          locationText: str,
          dueAt: str,
          createdAt: str,
          overdue: { type: 'boolean' },
          callers: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const updateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: {
    version,
    assignee: { type: 'string', maxLength: 100, description: 'the crew or person doing the work; naming one assigns a new work order' },
    priority: { type: 'string', enum: priorities },
    dueAt: { type: 'string', format: 'date-time' },
    description: note,
    tasks: {
      type: 'array',
      maxItems: 50,
      items: { type: 'object', additionalProperties: false, required: ['text', 'done'], properties: { text: { type: 'string', maxLength: 200 }, done: { type: 'boolean' } } },
    },
  },
} as const;

export const statusBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'status'],
  properties: { version, status: { type: 'string', enum: workOrderStatuses }, note: { ...note, description: 'the resolution (completed, cancelled) or what the work waits for (on hold)' } },
} as const;

export const reopenBody = { type: 'object', additionalProperties: false, required: ['version', 'reason'], properties: { version, reason: { type: 'string', maxLength: 1000 } } } as const;
export const noteBody = { type: 'object', additionalProperties: false, required: ['text'], properties: { text: note } } as const;
export const mergeBody = { type: 'object', additionalProperties: false, required: ['version', 'into'], properties: { version, into: workOrderNumber } } as const;
export const splitBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'request', 'reason'],
  properties: { version, request: requestNumber, reason: { type: 'string', maxLength: 1000 } },
} as const;

export const mergeResponse = { type: 'object', additionalProperties: false, properties: { merged: { $ref: 'WorkOrder#' }, into: { $ref: 'WorkOrder#' } } } as const;
export const splitResponse = { type: 'object', additionalProperties: false, properties: { from: { $ref: 'WorkOrder#' }, to: { $ref: 'WorkOrder#' } } } as const;
export const historyResponse = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: auditListResponse.properties.items } } as const;
