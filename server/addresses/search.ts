// Address typeahead: FTS5 over each address's number, street, unit, neighbourhood, postcode and
// aliases ("City Hall"), text folded by ../search/fold.ts on both sides. Every word must match, each
// as a prefix (the clerk is still typing). First come the addresses whose house number is a word typed
// in full ("12 hereford": 12 Hereford St above 120 and 125), then those matching every word whole,
// then the rest.
import { sql } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/connection.ts';
import { fold, foldTerm, queryTerms } from '../search/fold.ts';
import { addressLabel, type AddressParts, type AddressSummary } from './service.ts';

type Writer = Pick<Db, 'run' | 'get' | 'all'>;

// Street types as registries abbreviate them (USPS), indexed in full too, so "hereford street" and
// "commonwealth avenue" find "Hereford St" and "Commonwealth Ave". The other way round needs nothing:
// "st" is a prefix of "street".
const streetWords: Record<string, string> = {
  aly: 'alley', ave: 'avenue', av: 'avenue', blvd: 'boulevard', br: 'bridge', cir: 'circle', ct: 'court', cres: 'crescent',
  dr: 'drive', expy: 'expressway', hwy: 'highway', ln: 'lane', mt: 'mount', pk: 'park', pkwy: 'parkway', pl: 'place',
  plz: 'plaza', rd: 'road', sq: 'square', st: 'street', ter: 'terrace', trl: 'trail', wy: 'way', whf: 'wharf',
  n: 'north', s: 'south', e: 'east', w: 'west',
};

function streetText(street: string): string {
  const extra = street
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .map((word) => streetWords[word])
    .filter((word) => word !== undefined && !street.toLowerCase().includes(word));
  return extra.length ? `${street} ${[...new Set(extra)].join(' ')}` : street;
}

/** What the index holds for an address (the address's own words, without its aliases). */
function ownText(a: AddressParts): string {
  return [a.number, streetText(a.street), a.unit, a.city, a.district, a.postcode].filter((part) => part !== '').join(' ');
}

/** The search text of an address and its aliases, folded as every index here is. */
export function addressSearchText(a: AddressParts, aliases: readonly string[]): string {
  return fold([ownText(a), ...aliases].join(' · '));
}

/** Rewrites the search row of one address from its current state (removes it if the address is gone). */
export function reindexAddress(db: Writer, id: number): void {
  db.run(sql`DELETE FROM address_search WHERE rowid = ${id}`);
  const a = db.get<AddressParts | undefined>(sql`SELECT number, street, unit, city, district, region, postcode FROM addresses WHERE id = ${id}`);
  if (!a) return;
  const aliases = db.all<{ alias: string }>(sql`SELECT alias FROM address_aliases WHERE address_id = ${id} ORDER BY alias`).map((r) => r.alias);
  db.run(sql`INSERT INTO address_search (rowid, text) VALUES (${id}, ${addressSearchText(a, aliases)})`);
}

export interface AddressHit extends AddressSummary {
  /** The alias the words typed matched ("City Hall"), if the address was found by one. */
  matchedAlias: string | null;
}

export const defaultSearchLimit = 8;
export const maxSearchLimit = 25;

type AddressRow = AddressParts & { id: number; latitude: number; longitude: number };

/**
 * How many matches are ranked. A short prefix in a city-sized registry matches hundreds of thousands
 * of addresses, and ranking them all takes a third of a second; ranking the first few hundred (in
 * import order) keeps a keystroke under a few milliseconds, and a list that long is not read anyway.
 */
const rankWindow = 500;

// Prepared once per connection: building and preparing the SQL on every keystroke costs ~0.1 ms.
// The ranking reads the full-text index alone; the addresses are read for the best few only.
function statementsFor(client: Db['$client']) {
  return {
    // The houses with that number come from the registry's (number, street, …) index, not from a
    // scan of everything the words match.
    withNumber: client.prepare<[string, string, string, number], { id: number }>(`
      SELECT id FROM addresses
      WHERE number IN (?, ?) AND id IN (SELECT rowid FROM address_search WHERE address_search MATCH ?)
      ORDER BY street, postcode, unit LIMIT ?`),
    ranked: client.prepare<[string, number], { id: number }>(`
      SELECT id FROM (SELECT rowid AS id, bm25(address_search) AS score FROM address_search WHERE address_search MATCH ? LIMIT ${rankWindow})
      ORDER BY score, id LIMIT ?`),
    address: client.prepare<[number], AddressRow>(`
      SELECT id, number, street, unit, city, district, region, postcode, latitude, longitude FROM addresses WHERE id = ?`),
    aliases: client.prepare<[number], { alias: string }>(`SELECT alias FROM address_aliases WHERE address_id = ? ORDER BY length(alias), alias`),
  };
}
const statements = perConnection((db) => statementsFor(db.$client));

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;
/** A word that can be a house number: digits, maybe one letter after them ("12", "12a"). */
const houseNumber = /^\d+[a-z]?$/;
const covers = (words: string[], term: string) => words.some((word) => word.startsWith(term));
/** Every word of `text` as the index holds it (queryTerms keeps only a query's first twelve). */
const wordsOf = (text: string) => foldTerm(text).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);

/**
 * The alias that explains the hit: it must match every word the address's own text does not, and
 * the one matching the most words (the shortest of those) is taken. None when no alias matches a word.
 */
function matchedAlias(terms: string[], a: AddressParts, aliases: string[]): string | null {
  const own = wordsOf(ownText(a));
  const missing = terms.filter((t) => !covers(own, t));
  let best: { alias: string; score: number } | null = null;
  for (const alias of aliases) {
    const words = wordsOf(alias);
    if (!missing.every((t) => covers(words, t))) continue;
    const score = terms.filter((t) => covers(words, t)).length;
    // The list is shortest first, so a tie keeps the shorter alias.
    if (score > 0 && (!best || score > best.score)) best = { alias, score };
  }
  return best?.alias ?? null;
}

/**
 * Addresses matching what the clerk has typed so far ("12 Hereford", "hereford 12", "city hall",
 * "02115"), best first, at most `limit` (1 to 25). Blank text finds nothing rather than everything.
 */
export function searchAddresses(db: Db, text: string, limit = defaultSearchLimit): AddressHit[] {
  const terms = queryTerms(text);
  const max = Number.isFinite(limit) ? Math.max(1, Math.min(maxSearchLimit, Math.trunc(limit))) : defaultSearchLimit;
  if (terms.length === 0) return [];
  const { withNumber, ranked, address, aliases } = statements(db);
  const ids: number[] = [];
  // A house number typed in full first. It is matched as a whole word here, so the index only
  // offers the addresses that have that word at all (a number, a unit), not every "12…" prefix.
  const number = terms.find((t) => houseNumber.test(t));
  if (number !== undefined) {
    const match = terms.map((t) => (t === number ? quote(t) : `${quote(t)}*`)).join(' AND ');
    for (const { id } of withNumber.all(number, number.toUpperCase(), match, max)) ids.push(id);
  }
  // Then the addresses with every word whole ("boston common" above "Commonwealth Ave, Boston"),
  // then every word as a prefix, to fill the list.
  const taken = new Set(ids);
  for (const match of [terms.map(quote).join(' AND '), terms.map((t) => `${quote(t)}*`).join(' AND ')]) {
    if (ids.length >= max) break;
    for (const { id } of ranked.all(match, max + ids.length)) {
      if (ids.length >= max) break;
      if (!taken.has(id)) {
        ids.push(id);
        taken.add(id);
      }
    }
  }
  const hits: AddressHit[] = [];
  for (const id of ids) {
    const row = address.get(id);
    if (!row) continue;
    const names = aliases.all(id).map((r) => r.alias);
    hits.push({ ...row, label: addressLabel(row), matchedAlias: names.length ? matchedAlias(terms, row, names) : null });
  }
  return hits;
}
