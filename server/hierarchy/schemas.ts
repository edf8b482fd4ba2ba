import { hierarchyLevels } from '../../db/schema/hierarchy.ts';

const code = { type: 'string', pattern: '^[A-Z0-9][A-Z0-9_-]{1,39}$', description: '2 to 40 capital letters, digits, dashes or underscores, like STREET_LIGHT_OUT' } as const;
const level = { type: 'string', enum: hierarchyLevels } as const;
const status = { type: 'string', enum: ['active', 'retired'] } as const;
const name = { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S', description: 'a name, not only spaces' } as const;
const description = { type: 'string', maxLength: 4000 } as const;
const version = { type: 'integer', minimum: 1 } as const;
/** Checked by the service against the hierarchy's own schema (hierarchy-config/schema.json). */
const settings = { type: 'object', additionalProperties: true } as const;

export const treeNodeSchema = {
  $id: 'HierarchyTreeNode',
  type: 'object',
  additionalProperties: false,
  required: ['code', 'level', 'name', 'status', 'version', 'activeProblemCodes', 'children'],
  properties: {
    code: { type: 'string' },
    level,
    name: { type: 'string' },
    status,
    version: { type: 'integer' },
    activeProblemCodes: { type: 'integer' },
    children: { type: 'array', items: { $ref: 'HierarchyTreeNode#' } },
  },
} as const;

const pathEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'level', 'name'],
  properties: { code: { type: 'string' }, level, name: { type: 'string' }, status },
} as const;

export const nodeDetailSchema = {
  $id: 'HierarchyNode',
  type: 'object',
  additionalProperties: false,
  required: ['code', 'level', 'name', 'description', 'status', 'position', 'version', 'createdAt', 'updatedAt', 'path', 'settings', 'resolved', 'children'],
  properties: {
    code: { type: 'string' },
    level,
    name: { type: 'string' },
    description: { type: 'string' },
    status,
    position: { type: 'integer' },
    version: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    path: { type: 'array', items: pathEntry },
    settings,
    resolved: {
      anyOf: [
        { type: 'null' },
        { type: 'object', additionalProperties: false, required: ['value', 'from'], properties: { value: settings, from: { type: 'object', additionalProperties: { type: 'string' } } } },
      ],
    },
    children: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'level', 'name', 'status', 'position'],
        properties: { code: { type: 'string' }, level, name: { type: 'string' }, status, position: { type: 'integer' } },
      },
    },
  },
} as const;

export const treeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { includeRetired: { type: 'boolean', default: false } },
} as const;

export const treeResponse = { type: 'array', items: { $ref: 'HierarchyTreeNode#' } } as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['q'],
  properties: {
    q: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
    includeRetired: { type: 'boolean', default: false },
  },
} as const;

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
        required: ['code', 'name', 'path', 'status'],
        properties: { code: { type: 'string' }, name: { type: 'string' }, path: { type: 'string' }, status },
      },
    },
  },
} as const;

export const codeParams = {
  type: 'object',
  additionalProperties: false,
  required: ['code'],
  properties: { code: { type: 'string', maxLength: 40 } },
} as const;

export const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['level', 'code', 'name'],
  properties: { level, parentCode: { type: ['string', 'null'], maxLength: 40 }, code, name, description, settings, position: { type: 'integer', minimum: 0 } },
} as const;

export const updateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, name, description, settings },
} as const;

export const moveBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version, parentCode: { type: ['string', 'null'], maxLength: 40 }, position: { type: 'integer', minimum: 0 } },
} as const;

export const retireBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version, cascade: { type: 'boolean', default: false } },
} as const;

export const reactivateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: { version },
} as const;

export const historyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
} as const;
