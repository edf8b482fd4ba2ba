import { defaultSearchLimit, maxSearchLimit } from './search.ts';

const text = { type: 'string' } as const;
const coordinate = { type: 'number' } as const;

const parts = {
  number: text,
  street: text,
  unit: text,
  city: text,
  district: text,
  region: text,
  postcode: text,
} as const;

const summary = { id: { type: 'integer' }, label: text, ...parts, latitude: coordinate, longitude: coordinate } as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 200, default: '' },
    limit: { type: 'integer', minimum: 1, maximum: maxSearchLimit, default: defaultSearchLimit },
  },
} as const;

export const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

export const searchResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['hits'],
  properties: {
    hits: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [...Object.keys(summary), 'matchedAlias'],
        properties: { ...summary, matchedAlias: { type: ['string', 'null'] } },
      },
    },
  },
} as const;

export const addressResponse = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(summary), 'sourceId', 'aliases', 'createdAt', 'updatedAt'],
  properties: { ...summary, sourceId: { type: ['string', 'null'] }, aliases: { type: 'array', items: text }, createdAt: text, updatedAt: text },
} as const;
