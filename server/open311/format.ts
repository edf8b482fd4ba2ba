// One renderer for every Open311 answer, JSON or XML, errors included (the POST route reuses it).
// An answer is a plain value plus the name of its XML root; the XML is made from the value by the
// Spark convention the specification names: a JSON array is an XML container whose children all have
// one element name (services → service, attributes → attribute, …), an object is an element with one
// child per member, null is an empty element. So the two formats cannot say different things.
import type { FastifyReply } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { httpStatusOf, type DomainError } from '../errors.ts';

export type Format = 'json' | 'xml';

/** The format named by a URL suffix (`services.json`), or null for any other suffix. */
export function formatOf(suffix: string): Format | null {
  return suffix === 'json' || suffix === 'xml' ? suffix : null;
}

/**
 * The format to answer an error in: JSON when the path asks for it, XML otherwise — XML is the
 * format the specification requires of every endpoint, so it is the answer when the suffix is unknown.
 */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}

export const contentTypes: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The element name of each container's children (the Spark convention's arrays). */
const itemNames: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  notes: 'note',
  errors: 'error',
};

export type Root = 'discovery' | 'services' | 'service_definition' | 'service_requests' | 'errors';

// Characters XML 1.0 cannot carry at all, escaped or not (C0 controls but tab and line breaks, lone
// surrogates, U+FFFE/U+FFFF). A caller's description pasted from elsewhere may hold one; it is dropped
// rather than making the whole document unreadable.
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlText(value: string | number | boolean): string {
  return String(value).replace(notXml, '');
}

/** The builder's input for one element named `name` holding `value`. */
function node(name: string, value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const item = itemNames[name];
    if (!item) throw new Error(`no XML element name for the items of ${name}`);
    // An empty container is an empty element (<values/>), as the real city responses have it.
    return value.length === 0 ? '' : { [item]: value.map((v) => node(item, v)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, node(k, v)]));
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return xmlText(value);
  throw new Error(`cannot write a ${typeof value} as XML`);
}

// The library escapes &, <, >, " and ' in text; element names are the specification's own.
const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true, ignoreAttributes: false });

export function toXml(root: Root, value: unknown): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: node(root, value) }) as string;
}

/**
 * Sends an answer. JSON goes through the route's response schema (which also keeps anything it does
 * not list from leaving); XML is written from the same value.
 */
export function sendDocument(reply: FastifyReply, format: Format, root: Root, value: unknown): FastifyReply {
  void reply.type(contentTypes[format]);
  return reply.send(format === 'json' ? value : toXml(root, value));
}

/** One entry of an error answer, as the specification shapes it. */
export interface Open311Error {
  code: number;
  description: string;
}

export function sendErrors(reply: FastifyReply, format: Format, status: number, errors: Open311Error[]): FastifyReply {
  void reply.code(status).type(contentTypes[format]);
  return reply.send(format === 'json' ? JSON.stringify(errors) : toXml('errors', errors));
}

/** A field as the specification names it: `/querystring/start_date` and `/body/lat` are `start_date` and `lat`. */
const argumentName = (field: string) => field.replace(/^\/(querystring|body|params)\//, '').replace(/^\//, '');

/**
 * A domain error as the specification's errors: one entry per field it names (so several wrong
 * arguments are answered at once), or one with its message. The HTTP status is the error code's own;
 * the specification's "general service error" is 400, so nothing here answers 5xx.
 */
export function errorsOf(error: DomainError): { status: number; errors: Open311Error[] } {
  const status = error.code === 'INTERNAL' ? 400 : httpStatusOf(error.code);
  const errors = error.details?.length ? error.details.map((d) => ({ code: status, description: `${argumentName(d.field)} ${d.message}` })) : [{ code: status, description: error.message }];
  return { status, errors };
}
