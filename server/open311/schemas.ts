// Schemas of the Open311 GeoReport v2 routes. Arguments arrive as text and are all declared as text:
// the service reads them and answers every wrong one at once, in the specification's error form.
// Arguments a method does not know are ignored, not refused: partner apps send api_key (and JSONP
// callbacks) with every call. The response schemas are those of the JSON answers; the XML is written
// from the same values (format.ts).

const text = (maxLength: number, description: string) => ({ type: 'string', maxLength, description }) as const;

const jurisdiction = text(200, 'the jurisdiction served, as discovery and the README say');

export const formatParams = {
  type: 'object',
  required: ['format'],
  properties: { format: { type: 'string' } },
} as const;

export const serviceParams = {
  type: 'object',
  required: ['service_code', 'format'],
  properties: { service_code: { type: 'string', maxLength: 100 }, format: { type: 'string' } },
} as const;

export const requestParams = {
  type: 'object',
  required: ['service_request_id', 'format'],
  properties: { service_request_id: { type: 'string', maxLength: 100 }, format: { type: 'string' } },
} as const;

export const tokenParams = {
  type: 'object',
  required: ['token', 'format'],
  properties: { token: { type: 'string', maxLength: 100 }, format: { type: 'string' } },
} as const;

export const tokenResponse = {
  type: 'array',
  items: { type: 'object', additionalProperties: false, required: ['service_request_id', 'token'], properties: { service_request_id: { type: 'string' }, token: { type: 'string' } } },
} as const;

export const commonQuery = {
  type: 'object',
  additionalProperties: true,
  properties: { jurisdiction_id: jurisdiction, api_key: text(200, 'a partner key (not needed to read)') },
} as const;

export const requestQuery = {
  type: 'object',
  additionalProperties: true,
  properties: {
    jurisdiction_id: jurisdiction,
    api_key: text(200, 'a partner key (not needed to read)'),
    extensions: text(10, 'true or false'),
  },
} as const;

export const requestsQuery = {
  type: 'object',
  additionalProperties: true,
  properties: {
    jurisdiction_id: jurisdiction,
    api_key: text(200, 'a partner key (not needed to read)'),
    service_request_id: text(50_000, 'request numbers, separated by commas'),
    service_code: text(10_000, 'service codes, separated by commas'),
    start_date: text(40, 'a w3 date and time'),
    end_date: text(40, 'a w3 date and time'),
    status: text(40, 'open, closed, or both separated by a comma'),
    updated_after: text(40, 'a w3 date and time'),
    updated_before: text(40, 'a w3 date and time'),
    page: text(20, 'a page number from 1'),
    page_size: text(20, 'a whole number from 1 to 1000'),
    extensions: text(10, 'true or false'),
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const discoveryResponse = {
  type: 'object',
  required: ['changeset', 'contact', 'key_service', 'endpoints'],
  properties: {
    changeset: { type: 'string' },
    contact: { type: 'string' },
    key_service: { type: 'string' },
    endpoints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        properties: {
          specification: { type: 'string' },
          url: { type: 'string' },
          changeset: { type: 'string' },
          type: { type: 'string' },
          formats: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

export const servicesResponse = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
    properties: {
      service_code: { type: 'string' },
      service_name: { type: 'string' },
      description: nullableString,
      metadata: { type: 'boolean' },
      type: { type: 'string' },
      keywords: nullableString,
      group: { type: 'string' },
    },
  },
} as const;

export const definitionResponse = {
  type: 'object',
  required: ['service_code', 'attributes'],
  properties: {
    service_code: { type: 'string' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values'],
        properties: {
          variable: { type: 'boolean' },
          code: { type: 'string' },
          datatype: { type: 'string' },
          required: { type: 'boolean' },
          datatype_description: nullableString,
          order: { type: 'integer' },
          description: { type: 'string' },
          values: {
            type: 'array',
            items: { type: 'object', required: ['key', 'name'], properties: { key: { type: 'string' }, name: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const;

const note = {
  type: 'object',
  required: ['datetime', 'type', 'summary', 'description'],
  properties: { datetime: { type: 'string' }, type: { type: 'string' }, summary: { type: 'string' }, description: nullableString },
} as const;

export const requestsResponse = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_request_id', 'status', 'service_name', 'service_code', 'requested_datetime', 'updated_datetime'],
    properties: {
      service_request_id: { type: 'string' },
      status: { type: 'string' },
      status_notes: nullableString,
      service_name: { type: 'string' },
      service_code: { type: 'string' },
      description: nullableString,
      agency_responsible: nullableString,
      service_notice: nullableString,
      requested_datetime: { type: 'string' },
      updated_datetime: { type: 'string' },
      expected_datetime: nullableString,
      address: nullableString,
      address_id: nullableString,
      zipcode: nullableString,
      lat: { type: ['number', 'null'] },
      long: { type: ['number', 'null'] },
      media_url: nullableString,
      // Only with extensions=true.
      extended_attributes: {
        type: 'object',
        properties: {
          detailed_status: { type: 'string' },
          work_order_id: nullableString,
          work_order_status: nullableString,
          channel: { type: 'string' },
          duplicate: { type: 'boolean' },
          parent_service_request_id: nullableString,
        },
      },
      notes: { type: 'array', items: note },
    },
  },
} as const;

/** The answer to a POST: the request's number, the notice to show, and when the work is expected. */
export const submittedResponse = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['service_request_id'],
    properties: {
      service_request_id: { type: 'string' },
      token: { type: 'string' },
      service_notice: { type: ['string', 'null'] },
      account_id: { type: ['string', 'null'] },
      expected_datetime: { type: ['string', 'null'] },
    },
  },
} as const;
