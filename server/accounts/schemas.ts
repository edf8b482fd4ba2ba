import { roles } from '../../db/schema/accounts.ts';
import { passwordRules } from './passwords.ts';

export const userSchema = {
  $id: 'User',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'displayName', 'email', 'role', 'active', 'createdAt', 'updatedAt', 'passwordChangedAt', 'version'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', enum: roles },
    active: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    passwordChangedAt: { type: 'string' },
    version: { type: 'integer' },
  },
} as const;

const username = {
  type: 'string',
  minLength: 2,
  maxLength: 40,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'letters, digits, dots, dashes or underscores, starting with a letter or digit',
} as const;
const password = { type: 'string', minLength: 1, maxLength: passwordRules.maxLength } as const;
/** A password being set: its length is checked with the other fields; the rest by the service. */
const newPassword = { type: 'string', minLength: passwordRules.minLength, maxLength: passwordRules.maxLength } as const;
const displayName = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S', description: 'a name, not only spaces' } as const;
// Deliberately simple: a real address has an @ with something either side; delivery proves the rest.
const email = { type: 'string', maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', description: 'an e-mail address, like name@city.gov' } as const;

export const sessionResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'csrfToken', 'expiresAt'],
  properties: { user: { $ref: 'User#' }, csrfToken: { type: 'string' }, expiresAt: { type: 'string' } },
} as const;

export const currentSessionResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'csrfToken', 'expiresAt'],
  properties: {
    user: { oneOf: [{ $ref: 'User#' }, { type: 'null' }] },
    csrfToken: { type: ['string', 'null'] },
    expiresAt: { type: ['string', 'null'] },
  },
} as const;

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 100 }, password },
} as const;

export const changePasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['currentPassword', 'newPassword'],
  properties: { currentPassword: password, newPassword },
} as const;

export const createUserBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'displayName', 'email', 'role', 'password'],
  properties: { username, displayName, email, role: { type: 'string', enum: roles }, password: newPassword },
} as const;

export const updateUserBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  minProperties: 2,
  properties: { version: { type: 'integer', minimum: 1 }, displayName, email, role: { type: 'string', enum: roles }, active: { type: 'boolean' } },
} as const;

export const resetPasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['password'],
  properties: { password: newPassword },
} as const;

export const userIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

export const listUsersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 100 },
    role: { type: 'string', enum: roles },
    active: { type: 'boolean' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const userListResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'total'],
  properties: { items: { type: 'array', items: { $ref: 'User#' } }, total: { type: 'integer' } },
} as const;
