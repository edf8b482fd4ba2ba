import { index, integer, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

export const hierarchyLevels = ['department', 'provider', 'category', 'problem_code'] as const;
export type HierarchyLevel = (typeof hierarchyLevels)[number];

/**
 * Department → service provider → service category → problem code, one row per node. `settings`
 * holds what the node itself says (its inheritable defaults, or a problem code's own fields); what
 * a node inherits is resolved by the hierarchy service, never copied here.
 */
export const hierarchyNodes = sqliteTable(
  'hierarchy_nodes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    level: text('level', { enum: hierarchyLevels }).notNull(),
    /** Stable and unique across all levels; a code in use is retired, never deleted or reused. */
    code: text('code').notNull().unique(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => hierarchyNodes.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Order among its siblings. */
    position: integer('position').notNull(),
    status: text('status', { enum: ['active', 'retired'] }).notNull().default('active'),
    settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('hierarchy_parent_idx').on(t.parentId, t.position)],
);

/** City-wide facts and the root of inheritance (city.json): one row per key. */
export const cityProfile = sqliteTable('city_profile', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
});
