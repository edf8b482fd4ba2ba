// Finding a caller as the clerk types: FTS5 over the name and organisation, the e-mails and the
// phones' digits, and the postal address, folded by server/search/fold.ts on both sides. A phone is
// indexed as its digits in the forms a caller reads them out: whole, with and without the country
// code 1, and its last seven digits, so "617 555 01", "+1 (617) 555-0123" and "5550123" all find it.
import { sql } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/connection.ts';
import type { ContactPhone } from '../../db/schema/contacts.ts';
import { fold, foldTerm, queryTerms } from '../search/fold.ts';

type Writer = Pick<Db, 'run' | 'get'>;

/** The digits of a phone number, without its extension ("617-555-0123 ext. 12" → "6175550123"). */
export function phoneDigits(number: string): string {
  return number.replace(/ext.*$/i, '').replace(/\D/g, '');
}

/** Every form of a phone's digits a caller may start typing. */
export function phoneForms(number: string): string[] {
  const digits = phoneDigits(number);
  if (digits.length === 0) return [];
  const forms = new Set([digits]);
  if (digits.length === 11 && digits.startsWith('1')) forms.add(digits.slice(1));
  if (digits.length === 10) forms.add(`1${digits}`);
  if (digits.length > 7) forms.add(digits.slice(-7));
  return [...forms];
}

/** Rewrites the search row of one contact from its current state; call it in the writing transaction. */
export function reindexContact(db: Writer, id: number): void {
  db.run(sql`DELETE FROM contact_search WHERE rowid = ${id}`);
  const c = db.get<{ name: string; organisation: string; phones: string; emails: string; postalAddress: string } | undefined>(
    sql`SELECT name, organisation, phones, emails, postal_address AS postalAddress FROM contacts WHERE id = ${id}`,
  );
  if (!c) return;
  const phones = JSON.parse(c.phones) as ContactPhone[];
  const emails = JSON.parse(c.emails) as string[];
  // The tokenizer splits an e-mail at "." and "@", so "jane.doe@example.org" is found by its whole
  // text and by the part before the "@" alike.
  const reach = [...emails, ...phones.flatMap((p) => phoneForms(p.number))].join(' · ');
  db.run(sql`INSERT INTO contact_search (rowid, name, reach, address)
             VALUES (${id}, ${fold(`${c.name} · ${c.organisation}`)}, ${fold(reach)}, ${fold(c.postalAddress)})`);
}

export type MatchedField = 'name' | 'email' | 'phone' | 'address';

export interface ContactHit {
  id: number;
  name: string;
  organisation: string;
  phones: ContactPhone[];
  emails: string[];
  postalAddress: string;
  /** Which of the contact's fields the words typed were found in. */
  matched: MatchedField[];
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"*`;

/** Text made only of what phone numbers are written with, perhaps ending in an extension. */
const phoneLike = /^[\d\s+().\/-]+(ext\.?\s*\d*)?$/i;

/** The FTS5 query for `text`, or null when there is nothing to look for; and the phone digits typed. */
export function contactQuery(text: string): { match: string; terms: string[]; digits: string } | null {
  const terms = queryTerms(text);
  if (terms.length === 0) return null;
  const words = terms.map(quote).join(' AND ');
  const trimmed = text.trim();
  if (!phoneLike.test(trimmed)) return { match: words, terms, digits: '' };
  // Digits in groups are one phone number being read out; they may also be a house number and a
  // postcode, so the words as they are match too.
  const digits = phoneDigits(trimmed);
  if (digits.length === 0) return { match: words, terms, digits: '' };
  const whole = quote(digits);
  return { match: terms.length > 1 ? `${whole} OR (${words})` : whole, terms, digits };
}

// Name weighs most, then e-mail and phone, then address; rowid last so equal ranks keep one order.
const rank = 'bm25(contact_search, 10.0, 6.0, 2.0)';

// Prepared once per connection, as the other typeahead searches are.
function statementsFor(client: Db['$client']) {
  return {
    ranked: client.prepare<[string, number], { id: number }>(`
      SELECT rowid AS id FROM contact_search WHERE contact_search MATCH ? ORDER BY ${rank}, rowid LIMIT ?`),
    contact: client.prepare<[number], { id: number; name: string; organisation: string; phones: string; emails: string; postalAddress: string }>(`
      SELECT id, name, organisation, phones, emails, postal_address AS postalAddress FROM contacts WHERE id = ?`),
  };
}
const statements = perConnection((db) => statementsFor(db.$client));

const wordsOf = (text: string) => foldTerm(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Which fields hold a word starting with one of the terms (or the phone digits typed). */
function matchedFields(c: Omit<ContactHit, 'matched' | 'id'>, terms: string[], digits: string): MatchedField[] {
  const hasTerm = (text: string) => {
    const words = wordsOf(text);
    return terms.some((t) => words.some((w) => w.startsWith(t)));
  };
  const matched: MatchedField[] = [];
  if (hasTerm(`${c.name} ${c.organisation}`)) matched.push('name');
  if (c.emails.some(hasTerm)) matched.push('email');
  const phoneHit = c.phones.some((p) => phoneForms(p.number).some((form) => (digits ? form.startsWith(digits) : terms.some((t) => form.startsWith(t)))));
  if (phoneHit) matched.push('phone');
  if (hasTerm(c.postalAddress)) matched.push('address');
  return matched;
}

/** Callers matching what was typed, best first; nothing for blank text. */
export function searchContacts(db: Db, text: string, options: { limit: number }): ContactHit[] {
  const query = contactQuery(text);
  if (!query) return [];
  const { ranked, contact } = statements(db);
  const hits: ContactHit[] = [];
  for (const { id } of ranked.all(query.match, options.limit)) {
    const row = contact.get(id);
    if (!row) continue;
    const found = { name: row.name, organisation: row.organisation, phones: JSON.parse(row.phones) as ContactPhone[], emails: JSON.parse(row.emails) as string[], postalAddress: row.postalAddress };
    hits.push({ id: row.id, ...found, matched: matchedFields(found, query.terms, query.digits) });
  }
  return hits;
}
