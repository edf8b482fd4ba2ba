export const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    entityType: { type: 'string', maxLength: 50 },
    entityId: { type: 'string', maxLength: 100 },
    actorUserId: { type: 'integer', minimum: 1 },
    action: { type: 'string', maxLength: 100 },
    from: { type: 'string', format: 'date-time', description: 'a date and time with its offset, like 2026-11-22T08:00:00Z' },
    to: { type: 'string', format: 'date-time', description: 'a date and time with its offset, like 2026-11-22T08:00:00Z' },
    before: { type: 'integer', minimum: 1 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const auditListResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextBefore'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'at', 'actorUserId', 'actorLabel', 'entityType', 'entityId', 'action', 'changes', 'ip'],
        properties: {
          id: { type: 'integer' },
          at: { type: 'string' },
          actorUserId: { type: ['integer', 'null'] },
          actorLabel: { type: 'string' },
          entityType: { type: 'string' },
          entityId: { type: ['string', 'null'] },
          action: { type: 'string' },
          changes: {
            type: ['object', 'null'],
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              properties: { before: {}, after: {} },
            },
          },
          ip: { type: ['string', 'null'] },
        },
      },
    },
    nextBefore: { type: ['integer', 'null'], description: 'pass as `before` for the next (older) page' },
  },
} as const;
