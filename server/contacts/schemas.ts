import { replyMethods } from '../../db/schema/contacts.ts';

const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const version = { type: 'integer', minimum: 1 } as const;

// Only the shape and sizes here; what depends on several fields (a name or an organisation, enough
// digits in a phone, a reply method with something to reply to) is checked by the service.
const editable = {
  name: text(200),
  organisation: text(200),
  phones: {
    type: 'array',
    maxItems: 10,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['number'],
      properties: { label: { ...text(40), default: '' }, number: text(40) },
    },
  },
  emails: {
    type: 'array',
    maxItems: 10,
    items: { type: 'string', maxLength: 254, format: 'email', description: 'an e-mail address like jane.doe@example.org' },
  },
  postalAddress: text(500),
  addressId: { type: ['integer', 'null'], minimum: 1 },
  preferredReply: { type: ['string', 'null'], enum: [...replyMethods, null] },
  language: { type: 'string', maxLength: 35, pattern: '^([A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*)?$', description: 'a language code like en, es or pt-BR, or nothing' },
  notes: text(4000),
} as const;

const editableKeys = Object.keys(editable) as (keyof typeof editable)[];

/** A new contact: whatever the clerk has so far; the rest starts empty. */
export const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { ...editable.name, default: '' },
    organisation: { ...editable.organisation, default: '' },
    phones: { ...editable.phones, default: [] },
    emails: { ...editable.emails, default: [] },
    postalAddress: { ...editable.postalAddress, default: '' },
    addressId: { ...editable.addressId, default: null },
    preferredReply: { ...editable.preferredReply, default: null },
    language: { ...editable.language, default: '' },
    notes: { ...editable.notes, default: '' },
  },
} as const;

/** An edit replaces every editable field, so each is sent, with the version it was read at. */
export const updateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['version', ...editableKeys],
  properties: { version, ...editable },
} as const;

export const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { q: { ...text(200), default: '' }, limit: { type: 'integer', minimum: 1, maximum: 25, default: 8 } },
} as const;

const phone = { type: 'object', additionalProperties: false, required: ['label', 'number'], properties: { label: { type: 'string' }, number: { type: 'string' } } } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

export const contactSchema = {
  $id: 'Contact',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'organisation', 'phones', 'emails', 'postalAddress', 'addressId', 'preferredReply', 'language', 'notes', 'version', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    organisation: { type: 'string' },
    phones: { type: 'array', items: phone },
    emails: strings,
    postalAddress: { type: 'string' },
    addressId: { type: ['integer', 'null'] },
    preferredReply: { type: ['string', 'null'] },
    language: { type: 'string' },
    notes: { type: 'string' },
    version: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
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
        required: ['id', 'name', 'organisation', 'phones', 'emails', 'postalAddress', 'matched'],
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          organisation: { type: 'string' },
          phones: { type: 'array', items: phone },
          emails: strings,
          postalAddress: { type: 'string' },
          matched: { type: 'array', items: { type: 'string', enum: ['name', 'email', 'phone', 'address'] } },
        },
      },
    },
  },
} as const;
