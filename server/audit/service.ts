// The audit trail: every area records its changes here, inside the transaction that makes them.
import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { perConnection, placeholders, type Db } from '../../db/connection.ts';
import { auditLog } from '../../db/schema/audit.ts';

/** Who did something: a signed-in user, or the system itself (start-up, scripts). */
export interface Actor {
  userId: number | null;
  label: string;
  ip?: string | null;
}

export const systemActor: Actor = { userId: null, label: 'system' };

type Changes = Record<string, { before: unknown; after: unknown }>;

/** The fields whose values differ between `before` and `after` (either may be absent). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

export interface AuditInput {
  entityType: string;
  entityId?: string | number | null;
  action: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Every change writes one: built once per connection. */
const insertEntry = perConnection((db) =>
  db
    .insert(auditLog)
    .values({
      ...placeholders('at', 'actorUserId', 'actorLabel', 'entityType', 'entityId', 'action', 'ip'),
      // Not a bound column value: drizzle would encode null as the JSON text "null". Encoded below.
      changes: sql`${sql.placeholder('changes')}`,
    })
    .prepare(),
);

export function recordAudit(db: Db, actor: Actor, input: AuditInput): void {
  const changes = input.before || input.after ? diff(input.before ?? null, input.after ?? null) : null;
  insertEntry(db).run({
    at: new Date().toISOString(),
    actorUserId: actor.userId,
    actorLabel: actor.label,
    entityType: input.entityType,
    entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    action: input.action,
    changes: changes === null ? null : JSON.stringify(changes),
    ip: actor.ip ?? null,
  });
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorUserId?: number;
  action?: string;
  from?: string;
  to?: string;
  /** Entries with an id below this one: the cursor for the next page (newest first). */
  before?: number;
  limit: number;
}

export function listAudit(db: Db, query: AuditQuery) {
  const where: SQL[] = [];
  if (query.entityType) where.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditLog.entityId, query.entityId));
  if (query.actorUserId !== undefined) where.push(eq(auditLog.actorUserId, query.actorUserId));
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.from) where.push(gte(auditLog.at, new Date(query.from).toISOString()));
  if (query.to) where.push(lte(auditLog.at, new Date(query.to).toISOString()));
  if (query.before !== undefined) where.push(lt(auditLog.id, query.before));
  const rows = db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1)
    .all();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page, nextBefore: rows.length > query.limit && last ? last.id : null };
}
