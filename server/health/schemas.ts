export const healthResponse = {
  $id: 'Health',
  type: 'object',
  additionalProperties: false,
  required: ['status', 'database', 'version'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    database: { type: 'string', enum: ['ok', 'unavailable'] },
    version: { type: 'string' },
  },
} as const;
