// API keys for the city's partners on the Open311 API: made, listed and revoked by administrators, each
// with its own rate limit. The key is shown once, when it is made; only its hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { users } from '../../db/schema/accounts.ts';
import { apiKeys, apiKeyUsage } from '../../db/schema/api-keys.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { DomainError, fieldError } from '../errors.ts';

type KeyRow = typeof apiKeys.$inferSelect;

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

export type ApiKeyView = ReturnType<typeof view>;

function view(row: KeyRow, names: Map<number, string>) {
  return {
    id: row.id,
    partner: row.partner,
    description: row.description,
    prefix: row.prefix,
    ratePerMinute: row.ratePerMinute,
    status: row.status,
    createdAt: row.createdAt,
    createdBy: row.createdById === null ? null : (names.get(row.createdById) ?? null),
    revokedAt: row.revokedAt,
    revokedBy: row.revokedById === null ? null : (names.get(row.revokedById) ?? null),
    lastUsedAt: row.lastUsedAt,
    version: row.version,
  };
}

function userNames(db: Pick<Db, 'select'>): Map<number, string> {
  return new Map(db.select({ id: users.id, name: users.displayName }).from(users).all().map((u) => [u.id, u.name]));
}

export function listApiKeys(db: Db): ApiKeyView[] {
  const names = userNames(db);
  return db.select().from(apiKeys).orderBy(asc(apiKeys.status), asc(apiKeys.partner), asc(apiKeys.id)).all().map((row) => view(row, names));
}

export interface NewApiKey {
  partner: string;
  description?: string;
  ratePerMinute: number;
}

/** Makes a key for a partner. The answer holds the key itself: the only time anyone sees it. */
export function createApiKey(db: Db, actor: Actor, input: NewApiKey): ApiKeyView & { key: string } {
  const partner = input.partner.trim();
  if (partner === '') throw fieldError('/body/partner', 'is required: who uses the key');
  // 32 random bytes, URL-safe: long enough that a fast hash cannot be walked back.
  const key = `ow_${randomBytes(32).toString('base64url')}`;
  return db.transaction((tx) => {
    const row = tx
      .insert(apiKeys)
      .values({ partner, description: (input.description ?? '').trim(), prefix: key.slice(0, 10), hash: hashOf(key), ratePerMinute: input.ratePerMinute, createdById: actor.userId, createdAt: new Date().toISOString() })
      .returning()
      .get();
    recordAudit(tx, actor, { entityType: 'api_key', entityId: row.id, action: 'api_key.created', after: { partner, prefix: row.prefix, ratePerMinute: row.ratePerMinute } });
    return { ...view(row, userNames(tx)), key };
  });
}

function findKey(db: Pick<Db, 'select'>, id: number): KeyRow {
  const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no API key ${id}.`);
  return row;
}

/** A new rate limit or description for a key; `version` guards against a lost update. */
export function updateApiKey(db: Db, actor: Actor, id: number, input: { version: number; ratePerMinute?: number; description?: string }): ApiKeyView {
  return db.transaction((tx) => {
    const row = findKey(tx, id);
    if (row.version !== input.version) throw new DomainError('VERSION_CONFLICT', `The key of ${row.partner} was changed since you opened it (now version ${row.version}); reload and try again.`);
    if (row.status === 'revoked') throw new DomainError('INVALID_STATE', `The key of ${row.partner} (${row.prefix}…) is revoked; make a new one.`);
    const after = tx
      .update(apiKeys)
      .set({ ratePerMinute: input.ratePerMinute ?? row.ratePerMinute, description: input.description?.trim() ?? row.description, version: row.version + 1 })
      .where(eq(apiKeys.id, id))
      .returning()
      .get();
    recordAudit(tx, actor, { entityType: 'api_key', entityId: id, action: 'api_key.updated', before: { ratePerMinute: row.ratePerMinute, description: row.description }, after: { ratePerMinute: after.ratePerMinute, description: after.description } });
    return view(after, userNames(tx));
  });
}

/** The key stops working at once; it stays listed, so past requests still name their partner. */
export function revokeApiKey(db: Db, actor: Actor, id: number, input: { version: number }): ApiKeyView {
  return db.transaction((tx) => {
    const row = findKey(tx, id);
    if (row.version !== input.version) throw new DomainError('VERSION_CONFLICT', `The key of ${row.partner} was changed since you opened it (now version ${row.version}); reload and try again.`);
    if (row.status === 'revoked') throw new DomainError('INVALID_STATE', `The key of ${row.partner} (${row.prefix}…) is already revoked.`);
    const after = tx
      .update(apiKeys)
      .set({ status: 'revoked', revokedAt: new Date().toISOString(), revokedById: actor.userId, version: row.version + 1 })
      .where(eq(apiKeys.id, id))
      .returning()
      .get();
    recordAudit(tx, actor, { entityType: 'api_key', entityId: id, action: 'api_key.revoked', before: { status: 'active' }, after: { status: 'revoked', partner: row.partner, prefix: row.prefix } });
    return view(after, userNames(tx));
  });
}

export type KeyCheck =
  | { ok: true; key: { id: number; partner: string } }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number; limit: number };

/**
 * Checks a partner's key and counts the request against its rate limit (per minute, counted in the
 * database so every server process counts together). Nothing is counted for a key that does not work.
 */
export function useApiKey(db: Db, key: string | undefined, now = new Date()): KeyCheck {
  if (key === undefined || key === '') return { ok: false, reason: 'missing' };
  const row = db.select().from(apiKeys).where(eq(apiKeys.hash, hashOf(key))).get();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.status !== 'active') return { ok: false, reason: 'revoked' };
  const minute = now.toISOString().slice(0, 16);
  return db.transaction((tx) => {
    const used = tx.get<{ requests: number }>(sql`
      INSERT INTO api_key_usage (key_id, minute, requests) VALUES (${row.id}, ${minute}, 1)
      ON CONFLICT (key_id, minute) DO UPDATE SET requests = requests + 1
      RETURNING requests`)!.requests;
    if (used > row.ratePerMinute) {
      return { ok: false, reason: 'rate_limited', retryAfterSeconds: 60 - now.getUTCSeconds(), limit: row.ratePerMinute } as const;
    }
    // Minutes gone by count no more.
    tx.delete(apiKeyUsage).where(and(eq(apiKeyUsage.keyId, row.id), lt(apiKeyUsage.minute, minute))).run();
    tx.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, row.id)).run();
    return { ok: true, key: { id: row.id, partner: row.partner } } as const;
  });
}
