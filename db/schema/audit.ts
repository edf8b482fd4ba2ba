import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';

/** Every change in the system: who, when, what entity, what action, and the fields before and after. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actorUserId: integer('actor_user_id').references(() => users.id),
    /** The username at the time, or `system` / `public` / a partner's name. */
    actorLabel: text('actor_label').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    action: text('action').notNull(),
    /** JSON: { field: { before, after } } for the fields that changed. */
    changes: text('changes', { mode: 'json' }).$type<Record<string, { before: unknown; after: unknown }>>(),
    ip: text('ip'),
  },
  (t) => [
    index('audit_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_actor_idx').on(t.actorUserId, t.id),
    index('audit_action_idx').on(t.action, t.id),
  ],
);
