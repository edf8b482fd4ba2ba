import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './accounts.ts';
import { addresses } from './addresses.ts';

export const replyMethods = ['email', 'phone', 'letter'] as const;
export type ReplyMethod = (typeof replyMethods)[number];

export interface ContactPhone {
  label: string;
  number: string;
}

/** A caller: a person or organisation who contacted the city. Requests may also stay anonymous. */
export const contacts = sqliteTable(
  'contacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    organisation: text('organisation').notNull().default(''),
    phones: text('phones', { mode: 'json' }).$type<ContactPhone[]>().notNull(),
    emails: text('emails', { mode: 'json' }).$type<string[]>().notNull(),
    /** The postal address as the caller gave it; linked to the registry when it is a known one. */
    postalAddress: text('postal_address').notNull().default(''),
    addressId: integer('address_id').references(() => addresses.id),
    /** How the caller wants to hear back, unless a request says otherwise. */
    preferredReply: text('preferred_reply', { enum: replyMethods }),
    language: text('language').notNull().default(''),
    notes: text('notes').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('contacts_address_idx').on(t.addressId)],
);
