const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const version = { type: 'integer', minimum: 1 } as const;
const rate = { type: 'integer', minimum: 1, maximum: 100_000, description: 'requests a minute the partner may send' } as const;

export const keyParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

export const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['partner', 'ratePerMinute'],
  properties: { partner: { type: 'string', maxLength: 120 }, description: { type: 'string', maxLength: 1000 }, ratePerMinute: rate },
} as const;

export const updateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, ratePerMinute: rate, description: { type: 'string', maxLength: 1000 } },
} as const;

export const versionBody = { type: 'object', additionalProperties: false, required: ['version'], properties: { version } } as const;

const keyProperties = {
  id: { type: 'integer' },
  partner: str,
  description: str,
  prefix: str,
  ratePerMinute: { type: 'integer' },
  status: str,
  createdAt: str,
  createdBy: strOrNull,
  revokedAt: strOrNull,
  revokedBy: strOrNull,
  lastUsedAt: strOrNull,
  version: { type: 'integer' },
} as const;

export const keyResponse = { type: 'object', additionalProperties: false, properties: keyProperties } as const;
/** Only the answer to a creation carries the key itself. */
export const createdResponse = { type: 'object', additionalProperties: false, properties: { ...keyProperties, key: str } } as const;
export const listResponse = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: keyResponse } } } as const;
