// Configuration from the environment (and an optional .env file), validated once at boot.
// A bad value stops the process with a message naming the variable and what it may be.
import { Ajv, type ErrorObject } from 'ajv';
import { config as loadDotenv } from 'dotenv';

const configSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    NODE_ENV: {
      type: 'string',
      enum: ['development', 'production', 'test'],
      default: 'development',
      description: 'development (demo data, readable logs) or production',
    },
    HOST: { type: 'string', minLength: 1, default: 'localhost', description: 'address to listen on (0.0.0.0 for every interface)' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3311, description: 'TCP port' },
    DATABASE_PATH: {
      type: 'string',
      minLength: 1,
      default: './data/onewindow.db',
      description: 'SQLite database file (created and migrated at start)',
    },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'pino log level',
    },
    TRUST_PROXY: {
      type: 'boolean',
      default: false,
      description: 'trust X-Forwarded-* headers from a reverse proxy',
    },
    SHUTDOWN_TIMEOUT_MS: {
      type: 'integer',
      minimum: 100,
      maximum: 600000,
      default: 10000,
      description: 'how long SIGINT/SIGTERM waits for in-flight requests',
    },
  },
} as const;

export interface Config {
  NODE_ENV: 'development' | 'production' | 'test';
  HOST: string;
  PORT: number;
  DATABASE_PATH: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  TRUST_PROXY: boolean;
  SHUTDOWN_TIMEOUT_MS: number;
}

/** The variables, their defaults and what they mean: the README's table is written from this. */
export const configVariables = Object.entries(configSchema.properties).map(([name, p]) => ({
  name,
  default: p.default,
  description: p.description,
}));

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: true });
const validate = ajv.compile(configSchema);

function describe(error: ErrorObject): string {
  const name = error.instancePath.replace(/^\//, '');
  const property = configSchema.properties[name as keyof typeof configSchema.properties];
  const allowed =
    property && 'enum' in property
      ? `one of ${property.enum.join(', ')}`
      : property && 'minimum' in property
        ? `a whole number from ${property.minimum} to ${property.maximum}`
        : property?.type === 'boolean'
          ? 'true or false'
          : error.message;
  return `${name}: ${allowed} is required`;
}

/** Reads the configuration from `env`; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { dotenv?: boolean } = {}): Config {
  if (options.dotenv !== false) loadDotenv({ quiet: true });
  const known = Object.keys(configSchema.properties);
  const input: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    // An empty variable is treated as unset, so `PORT= npm start` falls back to the default.
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, '');
      return `${describe(e)} (got ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(problems);
  }
  return input as unknown as Config;
}
