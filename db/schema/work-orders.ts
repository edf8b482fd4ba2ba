import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';
import { addresses } from './addresses.ts';
import { hierarchyNodes } from './hierarchy.ts';
import type { Classification } from './intake.ts';

export const workOrderStatuses = ['new', 'assigned', 'in_progress', 'on_hold', 'completed', 'cancelled'] as const;
export const openWorkOrderStatuses = ['new', 'assigned', 'in_progress', 'on_hold'] as const;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];
/**
 * "Still open" written out as SQL. The queue's partial indexes are made with this very text, and SQLite
 * uses a partial index only for a query that says the same (bound parameters do not count).
 */
export const openStatusList = sql.raw(`(${openWorkOrderStatuses.map((s) => `'${s}'`).join(', ')})`);
export const openCondition = sql`status IN ${openStatusList}`;
export type Priority = (typeof priorities)[number];

export interface Task {
  text: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
}

/**
 * The unit of work for a crew: made from a problem code's standard work order by the first report
 * of a problem; every later report of the same problem is linked to it (customer_requests.work_order_id).
 * Its location and code are what duplicate search compares new reports with (work_order_area is its
 * R*Tree of open work orders, kept by triggers).
 */
export const workOrders = sqliteTable(
  'work_orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** W + the year and a per-year sequence, e.g. W2026-000123. */
    number: text('number').notNull().unique(),
    problemCodeId: integer('problem_code_id')
      .notNull()
      .references(() => hierarchyNodes.id),
    /** The code's category when the work order was made: duplicate rules may match on it. */
    categoryId: integer('category_id')
      .notNull()
      .references(() => hierarchyNodes.id),
    /** The responsible service provider (the standard work order's) and its department. */
    providerId: integer('provider_id')
      .notNull()
      .references(() => hierarchyNodes.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => hierarchyNodes.id),
    classification: text('classification', { mode: 'json' }).$type<Classification>().notNull(),
    workType: text('work_type').notNull(),
    priority: text('priority', { enum: priorities }).notNull(),
    status: text('status', { enum: workOrderStatuses }).notNull().default('new'),
    /** The crew or person doing the work, as the dispatcher names it. */
    assignee: text('assignee').notNull().default(''),
    tasks: text('tasks', { mode: 'json' }).$type<Task[]>().notNull(),
    description: text('description').notNull().default(''),
    addressId: integer('address_id').references(() => addresses.id),
    locationText: text('location_text').notNull().default(''),
    latitude: real('latitude'),
    longitude: real('longitude'),
    /** The value of the duplicate rule's attribute (a pole number), folded, when the rule has one. */
    matchValue: text('match_value'),
    /** When a temporary fix and the permanent one are due, from the code's turnaround. */
    temporaryDueAt: text('temporary_due_at'),
    dueAt: text('due_at').notNull(),
    /** What was done (completed), or why not (cancelled): told to every caller. */
    resolution: text('resolution').notNull().default(''),
    /** Set when this work order was merged into another one. */
    duplicateOfId: integer('duplicate_of_id'),
    createdById: integer('created_by_id').references(() => users.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    closedAt: text('closed_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('work_orders_queue_idx').on(t.status, t.dueAt),
    index('work_orders_provider_idx').on(t.providerId, t.status, t.dueAt),
    index('work_orders_department_idx').on(t.departmentId, t.status, t.dueAt),
    index('work_orders_code_idx').on(t.problemCodeId, t.status, t.createdAt),
    index('work_orders_category_idx').on(t.categoryId, t.status, t.createdAt),
    index('work_orders_address_idx').on(t.addressId, t.status),
    index('work_orders_duplicate_of_idx').on(t.duplicateOfId),
    // The dispatch queue: open work by due date, whole or by department or provider.
    index('work_orders_open_due_idx').on(t.dueAt, t.id).where(openCondition),
    index('work_orders_open_department_due_idx').on(t.departmentId, t.dueAt).where(openCondition),
    index('work_orders_open_provider_due_idx').on(t.providerId, t.dueAt).where(openCondition),
    // The reports' (server/reports; created by migrations 0017 and 0018, where each is explained).
    index('work_orders_report_created_idx').on(t.createdAt, t.duplicateOfId, t.departmentId, t.providerId, t.categoryId, t.problemCodeId),
    index('work_orders_report_closed_idx').on(t.status, t.closedAt, t.duplicateOfId, t.departmentId, t.providerId, t.categoryId, t.problemCodeId, t.createdAt, t.dueAt),
    index('work_orders_report_code_hours_idx')
      .on(t.problemCodeId, sql`(julianday(\`closed_at\`) - julianday(\`created_at\`))`, t.closedAt, t.createdAt, t.dueAt, t.duplicateOfId, t.departmentId, t.providerId, t.categoryId)
      .where(sql`\`status\` = 'completed'`),
    index('work_orders_report_provider_hours_idx')
      .on(t.providerId, sql`(julianday(\`closed_at\`) - julianday(\`created_at\`))`, t.closedAt, t.createdAt, t.dueAt, t.duplicateOfId, t.departmentId, t.categoryId, t.problemCodeId)
      .where(sql`\`status\` = 'completed'`),
  ],
);

/** Dispatchers' and crews' notes on a work order, in order. */
export const workOrderNotes = sqliteTable(
  'work_order_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workOrderId: integer('work_order_id')
      .notNull()
      .references(() => workOrders.id),
    authorId: integer('author_id').references(() => users.id),
    text: text('text').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('work_order_notes_idx').on(t.workOrderId, t.id)],
);
