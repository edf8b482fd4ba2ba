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
      description: 'behind one reverse proxy: take the client address and protocol from the X-Forwarded-* it adds',
    },
    SESSION_SECRET: {
      type: 'string',
      minLength: 32,
      description: 'key for the stored session hashes; required (32+ characters) in production',
    },
    SESSION_IDLE_MINUTES: {
      type: 'integer',
      minimum: 1,
      maximum: 1440,
      default: 60,
      description: 'a session unused this long ends',
    },
    SESSION_MAX_HOURS: {
      type: 'integer',
      minimum: 1,
      maximum: 168,
      default: 12,
      description: 'a session ends this long after sign-in, used or not',
    },
    COOKIE_SECURE: {
      type: 'string',
      enum: ['auto', 'true', 'false'],
      default: 'auto',
      description: 'mark the session cookie Secure: auto = when the request came over HTTPS',
    },
    LOGIN_DELAY_MS: {
      type: 'integer',
      minimum: 0,
      maximum: 10000,
      default: 500,
      description: 'added delay per failed sign-in after the third (brute-force slow-down)',
    },
    DUPLICATE_STRONG_SCORE: {
      type: 'integer',
      minimum: 0,
      maximum: 100,
      default: 50,
      description: 'how alike (0–100) a duplicate candidate must be for the portal and Open311 to link a report to it without a clerk',
    },
    WORK_ORDER_REOPEN_DAYS: {
      type: 'integer',
      minimum: 0,
      maximum: 365,
      default: 14,
      description: 'how many days after it closed a work order may be reopened',
    },
    OPEN311_JURISDICTION_ID: {
      type: 'string',
      minLength: 1,
      description: 'the jurisdiction_id Open311 clients may send (e.g. the city website\'s domain); unset: the city\'s name as a slug, like sample-city',
    },
    SHUTDOWN_TIMEOUT_MS: {
      type: 'integer',
      minimum: 100,
      maximum: 600000,
      default: 10000,
      description: 'how long SIGINT/SIGTERM waits for in-flight requests',
    },
    GROUP_COMMIT: {
      type: 'boolean',
      default: true,
      description: 'commit the transactions of one event-loop turn together; false when several busy server processes share the database file',
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
  SESSION_SECRET?: string;
  SESSION_IDLE_MINUTES: number;
  SESSION_MAX_HOURS: number;
  COOKIE_SECURE: 'auto' | 'true' | 'false';
  LOGIN_DELAY_MS: number;
  DUPLICATE_STRONG_SCORE: number;
  WORK_ORDER_REOPEN_DAYS: number;
  OPEN311_JURISDICTION_ID?: string;
  SHUTDOWN_TIMEOUT_MS: number;
  GROUP_COMMIT: boolean;
}

/** Outside production a fixed, public key is used, so a development restart keeps people signed in. */
export const developmentSessionSecret = 'onewindow-development-only-session-secret-not-for-production';

export function sessionSecretOf(config: Config): string {
  return config.SESSION_SECRET ?? developmentSessionSecret;
}

/** The variables, their defaults and what they mean: the README's table is written from this. */
export const configVariables = Object.entries(configSchema.properties).map(([name, p]) => ({
  name,
  default: 'default' in p ? p.default : undefined,
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
  if (property && 'minLength' in property && error.keyword === 'minLength') {
    return `${name}: at least ${property.minLength} characters are required`;
  }
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
      const shown = name === 'SESSION_SECRET' ? 'a shorter value' : JSON.stringify(env[name]);
      return `${describe(e)} (got ${shown})`;
    });
    throw new ConfigError(problems);
  }
  if (input.NODE_ENV === 'production' && input.SESSION_SECRET === undefined) {
    throw new ConfigError(['SESSION_SECRET: a random string of at least 32 characters is required when NODE_ENV=production']);
  }
  return input as unknown as Config;
}
