import { outboxStatuses } from '../../db/schema/outbox.ts';

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;

export const outboxQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: outboxStatuses, default: 'pending' },
    method: { type: 'string', enum: ['email', 'phone', 'letter'] },
    before: { type: 'integer', minimum: 1, description: 'the `next` of the page before' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
} as const;

export const entryParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;
export const doneBody = { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 1000, description: 'how it went ("left a voicemail")' } } } as const;

export const entry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    request: str,
    workOrder: strOrNull,
    method: str,
    to: str,
    recipient: str,
    subject: str,
    text: str,
    status: str,
    createdAt: str,
    doneAt: strOrNull,
    doneBy: strOrNull,
    doneNote: str,
  },
} as const;

export const outboxResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total', 'next'],
  properties: { items: { type: 'array', items: entry }, total: { type: 'integer' }, next: { type: ['integer', 'null'] } },
} as const;
