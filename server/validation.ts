// How route schemas are compiled. Two ajv instances with the same options but one: query strings,
// params and headers arrive as text and are coerced to the declared types ("5" → 5), while JSON
// bodies are taken as sent, so {"active": "false"} is an error rather than a silent false.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

export const ajvOptions: Options = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  // Errors carry their schema, so messages can use its description of the expected form.
  verbose: true,
};

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;

function instance(coerceTypes: Options['coerceTypes'], externalSchemas: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ ...ajvOptions, coerceTypes });
  addFormats.default(ajv);
  for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as object);
  return ajv;
}

/**
 * Fastify asks for a compiler in every plugin context; contexts that share the same shared schemas
 * share one pair of instances, so a schema used by many routes (and ajv's formats) is compiled once,
 * not once per context: most of the server's start was spent compiling the same schemas again.
 */
const instances = new Map<string, { forBody: Ajv; forText: Ajv }>();

function buildValidator(externalSchemas: Record<string, unknown>): FastifySchemaCompiler<unknown> {
  const key = JSON.stringify(externalSchemas);
  let pair = instances.get(key);
  if (!pair) instances.set(key, (pair = { forBody: instance(false, externalSchemas), forText: instance('array', externalSchemas) }));
  const { forBody, forText } = pair;
  return ({ schema, httpPart }) => (httpPart === 'body' ? forBody : forText).compile(schema as object);
}

export const schemaController: SchemaController = {
  compilersFactory: {
    // Fastify calls the compiler with the route's schema definition ({ schema, httpPart, … }), as
    // FastifySchemaCompiler says; @fastify/ajv-compiler's published type for this hook says otherwise.
    buildValidator: buildValidator as unknown as NonNullable<NonNullable<SchemaController['compilersFactory']>['buildValidator']>,
  },
};
