import { commentKinds } from '../../db/schema/intake.ts';
import { answers, location } from '../intake/schemas.ts';

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const code = { type: 'string', minLength: 1, maxLength: 40 } as const;

export const serviceSearchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['q'],
  properties: { q: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 25, default: 10 } },
} as const;

export const serviceSearchResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['hits'],
  properties: { hits: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { code: str, name: str, path: str } } } },
} as const;

export const codeParams = { type: 'object', additionalProperties: false, required: ['code'], properties: { code } } as const;

const question = {
  type: 'object',
  additionalProperties: false,
  properties: {
    code: str,
    variable: { type: 'boolean' },
    datatype: str,
    required: { type: 'boolean' },
    order: { type: 'integer' },
    description: str,
    datatypeDescription: strOrNull,
    values: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { key: str, name: str } } },
  },
} as const;

export const serviceResponse = {
  type: 'object',
  additionalProperties: false,
  properties: {
    code: str,
    name: str,
    description: str,
    path: str,
    questions: { type: 'array', items: question },
    needsLocation: { type: 'boolean' },
    turnaroundHours: { type: ['number', 'null'] },
  },
} as const;

const reporter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    email: { anyOf: [{ type: 'string', maxLength: 0 }, { type: 'string', format: 'email', maxLength: 320 }], description: 'an e-mail address like name@example.org' },
    phone: { type: 'string', maxLength: 40, pattern: '^[0-9+() .-]*$', description: 'a phone number: digits, spaces, + ( ) . -' },
  },
} as const;

export const reportBody = {
  type: 'object',
  additionalProperties: false,
  required: ['problemCode', 'location'],
  properties: {
    problemCode: code,
    answers: { ...answers, default: {} },
    location,
    description: { type: 'string', maxLength: 4000, default: '' },
    mediaUrl: { type: 'string', maxLength: 2000 },
    contact: reporter,
    notify: { type: 'boolean' },
  },
} as const;

export const reportResponse = {
  type: 'object',
  additionalProperties: false,
  properties: {
    number: str,
    service: str,
    expectedAt: strOrNull,
    notices: { type: 'array', items: str },
    notify: { type: 'boolean' },
  },
} as const;

export const commentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'text'],
  properties: {
    kind: { type: 'string', enum: commentKinds },
    text: { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S', description: 'what you want to tell the city, not only spaces' },
    contact: reporter,
    replyWanted: { type: 'boolean' },
  },
} as const;

export const commentResponse = {
  type: 'object',
  additionalProperties: false,
  properties: { number: str, replyWanted: { type: 'boolean' } },
} as const;

export const numberParams = {
  type: 'object',
  additionalProperties: false,
  required: ['number'],
  properties: { number: { type: 'string', maxLength: 20 } },
} as const;

export const trackResponse = {
  type: 'object',
  additionalProperties: false,
  properties: {
    number: str,
    kind: str,
    service: strOrNull,
    status: str,
    statusNotes: strOrNull,
    address: strOrNull,
    requestedAt: str,
    updatedAt: str,
    expectedAt: strOrNull,
    notes: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { at: str, summary: str, description: strOrNull } } },
  },
} as const;
