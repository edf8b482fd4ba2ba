import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';

export const apiKeyStatuses = ['active', 'revoked'] as const;

/**
 * Keys for the city's partners on the Open311 API (apps, neighbourhood groups, other agencies): one per
 * partner and use. The key itself is shown once when made; only its SHA-256 is kept (keys are long and
 * random, so a fast hash is enough). Revoked keys stay, so past requests still name their partner.
 */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    partner: text('partner').notNull(),
    /** What the key is for and who to call about it. */
    description: text('description').notNull().default(''),
    /** The key's first characters, to tell keys apart in lists and logs. */
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique(),
    /** Requests a minute the partner may send. */
    ratePerMinute: integer('rate_per_minute').notNull(),
    status: text('status', { enum: apiKeyStatuses }).notNull().default('active'),
    createdById: integer('created_by_id').references(() => users.id),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
    revokedById: integer('revoked_by_id').references(() => users.id),
    lastUsedAt: text('last_used_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('api_keys_partner_idx').on(t.partner)],
);

/** Requests per key and minute, for its rate limit: kept in the database, so every server process counts together. */
export const apiKeyUsage = sqliteTable(
  'api_key_usage',
  {
    keyId: integer('key_id')
      .notNull()
      .references(() => apiKeys.id),
    /** The minute, as an ISO time cut to the minute (2026-11-22T12:41). */
    minute: text('minute').notNull(),
    requests: integer('requests').notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.minute] })],
);
