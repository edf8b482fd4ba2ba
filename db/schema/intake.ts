import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';
import { addresses } from './addresses.ts';
import { contacts, replyMethods } from './contacts.ts';
import { hierarchyNodes } from './hierarchy.ts';
import { workOrders } from './work-orders.ts';

export const channels = ['phone', 'email', 'fax', 'walk_in', 'mail', 'web', 'mobile_app', 'open311'] as const;
export const requestTypes = ['information', 'action', 'comment'] as const;
/**
 * open: being taken. ready: an action request complete and waiting to be linked to a work order.
 * in_progress: an action request on an open work order. awaiting_reply: a comment whose author wants
 * a reply. closed / cancelled: done (cancelled ones were made by mistake).
 */
export const requestStatuses = ['open', 'ready', 'in_progress', 'awaiting_reply', 'closed', 'cancelled'] as const;
export const commentKinds = ['compliment', 'complaint', 'suggestion', 'other'] as const;

export type Channel = (typeof channels)[number];
export type RequestType = (typeof requestTypes)[number];
export type RequestStatus = (typeof requestStatuses)[number];
export type CommentKind = (typeof commentKinds)[number];

/** A problem code's name and its path as they were when the request was classified. */
export interface Classification {
  code: string;
  name: string;
  path: { level: string; code: string; name: string }[];
}

/** One contact (a call, a visit, an e-mail): the requests it produced share it and its caller. */
export const interactions = sqliteTable('interactions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  channel: text('channel', { enum: channels }).notNull(),
  clerkId: integer('clerk_id').references(() => users.id),
  startedAt: text('started_at').notNull(),
});

/**
 * The record of one contact with one customer, saved the moment the contact starts. Fields are
 * grouped by type; the intake service keeps the ones of other types empty.
 */
export const customerRequests = sqliteTable(
  'customer_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Human-readable, e.g. 2026-004217: the year and a per-year sequence. */
    number: text('number').notNull().unique(),
    interactionId: integer('interaction_id')
      .notNull()
      .references(() => interactions.id),
    channel: text('channel', { enum: channels }).notNull(),
    /** Who took it; null for the portal and Open311 partners. */
    clerkId: integer('clerk_id').references(() => users.id),
    /** Who sent it when no clerk did (a partner's name, "portal"). */
    source: text('source').notNull().default(''),
    type: text('type', { enum: requestTypes }),
    status: text('status', { enum: requestStatuses }).notNull().default('open'),
    contactId: integer('contact_id').references(() => contacts.id),
    /** The question (information), the problem as told (action), or the comment's text. */
    description: text('description').notNull().default(''),
    // Information requests.
    answer: text('answer').notNull().default(''),
    resolvedAtFirstContact: integer('resolved_at_first_contact', { mode: 'boolean' }),
    convertedAt: text('converted_at'),
    // Action requests.
    problemCodeId: integer('problem_code_id').references(() => hierarchyNodes.id),
    classification: text('classification', { mode: 'json' }).$type<Classification>(),
    answers: text('answers', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    addressId: integer('address_id').references(() => addresses.id),
    /** The location as given: the registry's address, or what the caller said when it is not in it. */
    locationText: text('location_text').notNull().default(''),
    latitude: real('latitude'),
    longitude: real('longitude'),
    /** A photo of the problem, as a link the reporter gave (Open311 media_url). */
    mediaUrl: text('media_url'),
    /** The token an Open311 partner was given with the number, to ask for it again (GET tokens/{token}). */
    open311Token: text('open311_token').unique(),
    /** The work order the request is on (the first report made it, or it was linked as a duplicate). */
    workOrderId: integer('work_order_id').references(() => workOrders.id),
    /** When the caller was told the work would be done. */
    promisedAt: text('promised_at'),
    /** Why the clerk made new work although possible duplicates were shown. */
    newWorkReason: text('new_work_reason').notNull().default(''),
    /** What was done about it, as the work order's resolution told it when the request closed. */
    resolution: text('resolution').notNull().default(''),
    // Comments.
    commentKind: text('comment_kind', { enum: commentKinds }),
    aboutNodeId: integer('about_node_id').references(() => hierarchyNodes.id),
    // Replies: whether the customer wants to hear back, how, and when they did.
    replyWanted: integer('reply_wanted', { mode: 'boolean' }).notNull().default(false),
    replyMethod: text('reply_method', { enum: replyMethods }),
    replyTo: text('reply_to').notNull().default(''),
    replyText: text('reply_text').notNull().default(''),
    repliedAt: text('replied_at'),
    cancelReason: text('cancel_reason').notNull().default(''),
    startedAt: text('started_at').notNull(),
    /** When the clerk finished with it (the end of the contact, for contact length). */
    endedAt: text('ended_at'),
    closedAt: text('closed_at'),
    updatedAt: text('updated_at').notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('requests_started_idx').on(t.startedAt),
    index('requests_status_idx').on(t.status, t.startedAt),
    index('requests_type_idx').on(t.type, t.startedAt),
    index('requests_channel_idx').on(t.channel, t.startedAt),
    index('requests_contact_idx').on(t.contactId, t.startedAt),
    index('requests_address_idx').on(t.addressId),
    index('requests_interaction_idx').on(t.interactionId),
    index('requests_code_idx').on(t.problemCodeId, t.startedAt),
    // The reports' (server/reports; created by migrations 0017 and 0018, where each is explained). Each
    // report reads ranges of one of these, covering, and some name theirs with INDEXED BY.
    // Callers per work order (and every lookup of a work order's requests).
    index('requests_report_work_order_idx').on(t.workOrderId, t.status),
    index('requests_report_kind_idx')
      .on(t.channel, t.type, t.commentKind, t.startedAt, t.status, t.problemCodeId, t.resolvedAtFirstContact, t.endedAt)
      .where(sql`\`status\` <> 'cancelled'`),
    index('requests_report_place_idx').on(t.problemCodeId, t.startedAt, t.channel, t.type).where(sql`\`status\` <> 'cancelled'`),
    index('requests_report_cancelled_idx').on(t.status, t.startedAt, t.channel, t.type, t.problemCodeId).where(sql`\`status\` = 'cancelled'`),
    index('requests_report_converted_idx').on(t.startedAt, t.channel, t.problemCodeId).where(sql`\`converted_at\` IS NOT NULL AND \`status\` <> 'cancelled'`),
  ],
);

/**
 * Retried creations: the first answer to a key is remembered (per caller of the API), so a retry
 * gets the record it already made instead of a second one.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** What was asked, so the same key with a different body is refused rather than replayed. */
    fingerprint: text('fingerprint').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
