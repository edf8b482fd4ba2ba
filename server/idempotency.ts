// Retried creations (a double-clicked submit, a timed-out request sent again) make one record: the
// first creation under an Idempotency-Key is remembered, and the same key later returns that record.
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { perConnection, placeholders, type Db } from '../db/connection.ts';
import { idempotencyKeys } from '../db/schema/intake.ts';
import { DomainError } from './errors.ts';

const statements = perConnection((db) => ({
  earlier: db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, sql.placeholder('scope')), eq(idempotencyKeys.key, sql.placeholder('key'))))
    .prepare(),
  remember: db
    .insert(idempotencyKeys)
    .values(placeholders('scope', 'key', 'fingerprint', 'entityType', 'entityId', 'createdAt'))
    .prepare(),
}));

/** The header's JSON Schema, for routes that accept it. */
export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'at most 200 visible ASCII characters, no spaces',
    },
  },
} as const;

export interface Idempotent {
  /** Who is asking: a user, a partner's key, the portal; keys of different callers never meet. */
  scope: string;
  key: string | undefined;
  /** What is asked; the same key with something else is refused, not replayed. */
  request: unknown;
}

/**
 * Runs `create` once per key. Call it inside the transaction that creates the record, so the key and
 * the record are saved together (or not at all). Returns the new id, or the id made the first time.
 */
export function once(tx: Db, entityType: string, idem: Idempotent, create: () => number): { id: number; replayed: boolean } {
  if (idem.key === undefined) return { id: create(), replayed: false };
  const fingerprint = createHash('sha256').update(JSON.stringify(idem.request ?? null)).digest('hex');
  const earlier = statements(tx).earlier.get({ scope: idem.scope, key: idem.key });
  if (earlier) {
    if (earlier.entityType !== entityType || earlier.fingerprint !== fingerprint) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; send a new key for a new request.', [
        { field: 'Idempotency-Key', message: 'was already used for a different request' },
      ]);
    }
    return { id: earlier.entityId, replayed: true };
  }
  const id = create();
  statements(tx).remember.run({ scope: idem.scope, key: idem.key, fingerprint, entityType, entityId: id, createdAt: new Date().toISOString() });
  return { id, replayed: false };
}
