// Callers: the people and organisations who contact the city, found by the desk as it types and
// kept with how they want to hear back. Every write is checked as a whole (a contact must be
// findable and reachable the way it asks to be), keeps the search index in step and is audited.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { addresses } from '../../db/schema/addresses.ts';
import { contacts, type ContactPhone, type ReplyMethod } from '../../db/schema/contacts.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { assertNoProblems, DomainError, type FieldProblem } from '../errors.ts';
import { once } from '../idempotency.ts';
import { phoneDigits, reindexContact } from './search.ts';

type Reader = Pick<Db, 'select'>;
type ContactRow = typeof contacts.$inferSelect;

/** What the clerk edits; an edit replaces all of it. */
export interface ContactInput {
  name: string;
  organisation: string;
  phones: ContactPhone[];
  emails: string[];
  postalAddress: string;
  addressId: number | null;
  preferredReply: ReplyMethod | null;
  language: string;
  notes: string;
}

export interface Contact extends ContactInput {
  id: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation,
    phones: row.phones,
    emails: row.emails,
    postalAddress: row.postalAddress,
    addressId: row.addressId,
    preferredReply: row.preferredReply,
    language: row.language,
    notes: row.notes,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function findRow(db: Reader, id: number): ContactRow {
  const row = db.select().from(contacts).where(eq(contacts.id, id)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no contact ${id}.`);
  return row;
}

export function getContact(db: Reader, id: number): Contact {
  return toContact(findRow(db, id));
}

/** The input with its text trimmed; nothing else is changed (the caller should recognise what was saved). */
function cleaned(input: ContactInput): ContactInput {
  return {
    name: input.name.trim(),
    organisation: input.organisation.trim(),
    phones: input.phones.map((p) => ({ label: p.label.trim(), number: p.number.trim() })),
    emails: input.emails.map((e) => e.trim()),
    postalAddress: input.postalAddress.trim(),
    addressId: input.addressId,
    preferredReply: input.preferredReply,
    language: input.language.trim(),
    notes: input.notes.trim(),
  };
}

// Digits, spaces, + ( ) - . / and an extension written "ext" ("617-555-0123 ext. 12").
const phoneCharacters = /^[\d\s+().\/-]*(ext\.?\s*\d+)?$/i;
const replyNeeds: Record<ReplyMethod, { has: (c: ContactInput) => boolean; message: string }> = {
  email: { has: (c) => c.emails.length > 0, message: 'is e-mail, but no e-mail address is given' },
  phone: { has: (c) => c.phones.length > 0, message: 'is phone, but no phone number is given' },
  letter: { has: (c) => c.postalAddress !== '', message: 'is letter, but no postal address is given' },
};

/** What a schema cannot check: fields that depend on each other, phone numbers, the address link. */
function problemsOf(db: Reader, c: ContactInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (c.name === '' && c.organisation === '') problems.push({ field: '/body/name', message: 'is required unless an organisation is given' });
  c.phones.forEach((p, i) => {
    if (!phoneCharacters.test(p.number)) problems.push({ field: `/body/phones/${i}/number`, message: 'must be a phone number: digits, spaces, + ( ) - . / and "ext" for an extension' });
    else if (phoneDigits(p.number).length < 7) problems.push({ field: `/body/phones/${i}/number`, message: 'must have at least 7 digits' });
  });
  c.emails.forEach((e, i) => {
    if (e === '') problems.push({ field: `/body/emails/${i}`, message: 'is empty' });
  });
  if (c.preferredReply !== null && !replyNeeds[c.preferredReply].has(c)) problems.push({ field: '/body/preferredReply', message: replyNeeds[c.preferredReply].message });
  if (c.addressId !== null && !db.select({ id: addresses.id }).from(addresses).where(eq(addresses.id, c.addressId)).get()) {
    problems.push({ field: '/body/addressId', message: `names no address in the registry (${c.addressId})` });
  }
  return problems;
}

export interface IdempotencyKey {
  /** Whose keys these are, e.g. `user:12`. */
  scope: string;
  key: string | undefined;
}

/**
 * Creates a contact. With an idempotency key, a retry of the same request returns the contact made
 * the first time (`replayed`), and the same key with a different request is refused.
 */
export function createContact(db: Db, actor: Actor, input: ContactInput, idempotency?: IdempotencyKey): { contact: Contact; replayed: boolean } {
  return db.transaction((tx) => {
    const { id, replayed } = once(tx, 'contact', { scope: idempotency?.scope ?? '', key: idempotency?.key, request: input }, () => {
      const c = cleaned(input);
      assertNoProblems(problemsOf(tx, c), 'The contact');
      const now = new Date().toISOString();
      const row = tx
        .insert(contacts)
        .values({ ...c, createdBy: actor.userId, createdAt: now, updatedAt: now })
        .returning()
        .get();
      recordAudit(tx, actor, { entityType: 'contact', entityId: row.id, action: 'contact.created', after: { ...c } });
      reindexContact(tx, row.id);
      return row.id;
    });
    return { contact: getContact(tx, id), replayed };
  });
}

const editableOf = (row: ContactRow): ContactInput => {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...fields } = toContact(row);
  return fields;
};

/** Replaces a contact's editable fields, if nobody changed it since `version` was read. */
export function updateContact(db: Db, actor: Actor, id: number, input: ContactInput & { version: number }): Contact {
  return db.transaction((tx) => {
    const row = findRow(tx, id);
    if (row.version !== input.version) {
      throw new DomainError('VERSION_CONFLICT', `The contact “${row.name || row.organisation}” was changed by someone else since you opened it (now version ${row.version}); reload it and make your change again.`);
    }
    const { version: _version, ...fields } = input;
    const c = cleaned(fields);
    assertNoProblems(problemsOf(tx, c), 'The contact');
    const before = editableOf(row);
    // Saving what is already there is not a change: no new version, nothing to audit.
    if (JSON.stringify(before) === JSON.stringify(c)) return toContact(row);
    const updated = tx
      .update(contacts)
      .set({ ...c, version: row.version + 1, updatedAt: new Date().toISOString() })
      .where(eq(contacts.id, id))
      .returning()
      .get();
    recordAudit(tx, actor, { entityType: 'contact', entityId: id, action: 'contact.updated', before: { ...before }, after: { ...c } });
    reindexContact(tx, id);
    return toContact(updated);
  });
}
