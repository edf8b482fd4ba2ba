import { replyMethods } from '../../db/schema/contacts.ts';
import { channels, commentKinds, requestStatuses, requestTypes } from '../../db/schema/intake.ts';
import { auditListResponse } from '../audit/schemas.ts';
import { deskChannels } from './service.ts';

const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const nullable = <const T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] }) as const;
const version = { type: 'integer', minimum: 1 } as const;
const number = { type: 'string', pattern: '^[0-9]{4}-[0-9]{6,}$', description: 'a request number like 2026-004217' } as const;
const code = { type: 'string', minLength: 1, maxLength: 40 } as const;
const channel = { type: 'string', enum: channels } as const;
const type = { type: 'string', enum: requestTypes } as const;
const status = { type: 'string', enum: requestStatuses } as const;
const replyMethod = { type: 'string', enum: replyMethods } as const;
const dateTime = { type: 'string', format: 'date-time', description: 'a date and time with its offset, like 2026-11-22T08:00:00Z' } as const;
const contactId = { type: 'integer', minimum: 1 } as const;

export const numberParams = { type: 'object', additionalProperties: false, required: ['number'], properties: { number } } as const;
export const articleParams = { type: 'object', additionalProperties: false, required: ['number', 'slug'], properties: { number, slug: text(80) } } as const;

export const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    channel: { type: 'string', enum: channels, description: `how the customer reached the city: ${deskChannels.join(', ')}` },
    sameContactAs: number,
    contactId: nullable(contactId),
  },
} as const;

const answer = { anyOf: [text(4000), { type: 'number' }, { type: 'array', maxItems: 100, items: text(200) }, { type: 'null' }] } as const;
/** A problem code's questions answered, by question code. */
export const answers = { type: 'object', maxProperties: 100, propertyNames: { maxLength: 100 }, additionalProperties: answer } as const;

export const location = {
  type: 'object',
  additionalProperties: false,
  properties: {
    addressId: nullable({ type: 'integer', minimum: 1 }),
    text: text(300),
    latitude: nullable({ type: 'number', minimum: -90, maximum: 90 }),
    longitude: nullable({ type: 'number', minimum: -180, maximum: 180 }),
  },
} as const;

export const updateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    version,
    type,
    contactId: nullable(contactId),
    description: text(4000),
    answer: text(4000),
    resolvedAtFirstContact: { type: 'boolean' },
    problemCode: nullable(code),
    answers,
    location: nullable(location),
    commentKind: nullable({ type: 'string', enum: commentKinds }),
    about: nullable(code),
    replyWanted: { type: 'boolean' },
    replyMethod: nullable(replyMethod),
    replyTo: text(300),
  },
} as const;

export const versionBody = { type: 'object', additionalProperties: false, required: ['version'], properties: { version } } as const;
export const cancelBody = { type: 'object', additionalProperties: false, required: ['version', 'reason'], properties: { version, reason: { type: 'string', minLength: 1, maxLength: 500 } } } as const;
export const replyBody = { type: 'object', additionalProperties: false, required: ['version', 'text'], properties: { version, text: { type: 'string', minLength: 1, maxLength: 4000 } } } as const;
export const articleBody = { type: 'object', additionalProperties: false, required: ['slug'], properties: { slug: { type: 'string', minLength: 1, maxLength: 80 } } } as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    number: { type: 'string', maxLength: 20, pattern: '^[0-9-]+$', description: 'a request number or its beginning, like 2026-0042' },
    contactId,
    caller: text(200),
    address: text(200),
    type,
    status,
    channel,
    from: dateTime,
    to: dateTime,
    before: number,
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
  },
} as const;

const node = { type: 'object', additionalProperties: false, required: ['code', 'name', 'level', 'status'], properties: { code: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' }, status: { type: 'string' } } } as const;
const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;

export const requestResponse = {
  $id: 'CustomerRequest',
  type: 'object',
  additionalProperties: false,
  required: ['number', 'type', 'status', 'channel', 'version', 'startedAt'],
  properties: {
    number: str,
    type: { type: ['string', 'null'] },
    status: str,
    channel: str,
    source: str,
    clerk: nullable({ type: 'object', additionalProperties: false, properties: { id: { type: 'integer' }, username: str, displayName: str } }),
    interactionId: { type: 'integer' },
    contact: nullable({
      type: 'object',
      additionalProperties: false,
      properties: {
        id: { type: 'integer' },
        name: str,
        organisation: str,
        phones: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { label: str, number: str } } },
        emails: { type: 'array', items: str },
        postalAddress: str,
        preferredReply: strOrNull,
      },
    }),
    description: str,
    answer: str,
    resolvedAtFirstContact: { type: ['boolean', 'null'] },
    convertedAt: strOrNull,
    problemCode: strOrNull,
    classification: nullable({
      type: 'object',
      additionalProperties: false,
      properties: { code: str, name: str, path: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { level: str, code: str, name: str } } } },
    }),
    problemCodeStatus: strOrNull,
    answers: { type: 'object', additionalProperties: true },
    notices: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { code: str, description: str } } },
    location: nullable({
      type: 'object',
      additionalProperties: false,
      properties: { addressId: { type: ['integer', 'null'] }, text: str, latitude: { type: ['number', 'null'] }, longitude: { type: ['number', 'null'] }, verified: { type: 'boolean' } },
    }),
    mediaUrl: strOrNull,
    commentKind: strOrNull,
    about: nullable(node),
    replyWanted: { type: 'boolean' },
    replyMethod: strOrNull,
    replyTo: str,
    replyText: str,
    repliedAt: strOrNull,
    articles: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { slug: str, title: str } } },
    workOrder: nullable({ type: 'object', additionalProperties: false, properties: { number: str, status: str, dueAt: str, assignee: str } }),
    promisedAt: strOrNull,
    newWorkReason: str,
    resolution: str,
    cancelReason: str,
    startedAt: str,
    endedAt: strOrNull,
    closedAt: strOrNull,
    updatedAt: str,
    version: { type: 'integer' },
    siblings: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { number: str, type: { type: ['string', 'null'] }, status: str } } },
  },
} as const;

export const listResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextBefore'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          number: str,
          type: { type: ['string', 'null'] },
          status: str,
          channel: str,
          summary: str,
          problemCode: strOrNull,
          problemName: strOrNull,
          locationText: str,
          contactId: { type: ['integer', 'null'] },
          contactName: strOrNull,
          replyWanted: { type: 'boolean' },
          replyMethod: strOrNull,
          replyTo: str,
          startedAt: str,
          closedAt: strOrNull,
        },
      },
    },
    nextBefore: strOrNull,
  },
} as const;

export const historyResponse = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: auditListResponse.properties.items } } as const;
