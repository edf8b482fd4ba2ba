import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';
import { replyMethods } from './contacts.ts';
import { customerRequests } from './intake.ts';
import { workOrders } from './work-orders.ts';

/** pending: to send. done: sent (by whom, when, how it went). withdrawn: no longer true before it was sent. */
export const outboxStatuses = ['pending', 'done', 'withdrawn'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Answers owed: one entry for every customer who asked to hear back when the work on their request
 * ended — how (e-mail, phone call-back, letter), where, and the text to send. Staff send it and mark
 * it done; nothing here is deleted.
 */
export const answersOwed = sqliteTable(
  'answers_owed',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => customerRequests.id),
    workOrderId: integer('work_order_id').references(() => workOrders.id),
    method: text('method', { enum: replyMethods }).notNull(),
    to: text('to').notNull(),
    recipient: text('recipient').notNull().default(''),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    createdAt: text('created_at').notNull(),
    doneAt: text('done_at'),
    doneById: integer('done_by_id').references(() => users.id),
    /** What happened when it was sent ("left a voicemail"). */
    doneNote: text('done_note').notNull().default(''),
  },
  // By status in id order (the lists' order), and by status and method.
  (t) => [index('answers_owed_status_idx').on(t.status), index('answers_owed_method_idx').on(t.status, t.method), index('answers_owed_request_idx').on(t.requestId), index('answers_owed_report_idx').on(t.status, t.createdAt)],
);
