// Problem-code search as you type: FTS5 over each code's name, its keywords, synonyms and code, and
// the names of the levels above it; prefix matching on every word, best first (name above keywords
// above path), and, when a word matches nothing, the words of the index within one or two typos.
import { eq, sql } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/connection.ts';
import { cityProfile } from '../../db/schema/hierarchy.ts';
import { editDistance, fold, queryTerms } from '../search/fold.ts';
import { hierarchyGeneration } from './generation.ts';

type DbOrTx = Pick<Db, 'run' | 'all' | 'get' | 'insert' | 'select'>;

/** Rewrites the search rows of the given problem codes (all of them when `ids` is undefined). */
export function reindexProblemCodes(db: DbOrTx, ids?: number[]): void {
  const idList = ids === undefined ? undefined : sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const matching = (column: string) => (idList === undefined ? sql`1` : ids!.length === 0 ? sql`0` : sql`${sql.raw(column)} IN (${idList})`);
  db.run(sql`DELETE FROM problem_code_search WHERE ${matching('rowid')}`);
  const rows = db.all<{ id: number; code: string; status: string; name: string; settings: string; above: string; path: string; ancestorsActive: number }>(sql`
    SELECT pc.id, pc.code, pc.status, pc.name, pc.settings, json_array(json(c.settings), json(p.settings), json(d.settings)) AS above,
           d.name || ' › ' || p.name || ' › ' || c.name AS path,
           (c.status = 'active' AND p.status = 'active' AND d.status = 'active') AS ancestorsActive
    FROM hierarchy_nodes pc
    JOIN hierarchy_nodes c ON c.id = pc.parent_id
    JOIN hierarchy_nodes p ON p.id = c.parent_id
    JOIN hierarchy_nodes d ON d.id = p.parent_id
    WHERE pc.level = 'problem_code' AND ${matching('pc.id')}`);
  const city = db.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get()?.value as { defaults?: { public?: boolean } } | undefined;
  for (const row of rows) {
    const settings = JSON.parse(row.settings) as { keywords?: string[]; synonyms?: string[]; public?: boolean };
    // Public as inherited: the code's own setting, else the nearest level above that says, else the city's.
    const levels = [settings, ...(JSON.parse(row.above) as ({ public?: boolean } | null)[]), city?.defaults];
    const isPublic = levels.find((l) => typeof l?.public === 'boolean')?.public ?? true;
    const terms = [row.code, ...(settings.keywords ?? []), ...(settings.synonyms ?? [])].join(' · ');
    // A code under a retired category is as unavailable as a retired code.
    const status = row.status === 'active' && row.ancestorsActive ? 'active' : 'retired';
    db.run(sql`INSERT INTO problem_code_search (rowid, code, status, public, name, terms, path)
               VALUES (${row.id}, ${row.code}, ${status}, ${isPublic ? 1 : 0}, ${fold(row.name)}, ${fold(terms)}, ${fold(row.path)})`);
  }
}

/** Problem-code ids below a node (itself included when it is a problem code). */
export function problemCodeIdsUnder(db: DbOrTx, nodeId: number): number[] {
  return db
    .all<{ id: number }>(sql`
      WITH RECURSIVE below(id, level) AS (
        SELECT id, level FROM hierarchy_nodes WHERE id = ${nodeId}
        UNION ALL SELECT n.id, n.level FROM hierarchy_nodes n JOIN below b ON n.parent_id = b.id)
      SELECT id FROM below WHERE level = 'problem_code'`)
    .map((r) => r.id);
}

// What the search needs to know about the index, kept per database and hierarchy generation (the index
// changes only with the hierarchy): its words (for the typo fallback, a few thousand) and how many codes
// each filter leaves out (see `window` below).
interface IndexState {
  generation: number;
  terms: string[];
  known: Set<string>;
  retired: number;
  notPublic: number;
  retiredOrNotPublic: number;
}
const indexStates = new WeakMap<object, IndexState>();

function indexState(db: Db): IndexState {
  const generation = hierarchyGeneration(db);
  const cached = indexStates.get(db.$client);
  if (cached?.generation === generation) return cached;
  const terms = db.all<{ term: string }>(sql`SELECT term FROM problem_code_search_vocab`).map((r) => r.term);
  const counts = db.get<{ retired: number | null; notPublic: number | null; either: number | null }>(sql`
    SELECT sum(status <> 'active') AS retired, sum(public = 0) AS notPublic, sum(status <> 'active' OR public = 0) AS either
    FROM problem_code_search`);
  const fresh = { generation, terms, known: new Set(terms), retired: counts?.retired ?? 0, notPublic: counts?.notPublic ?? 0, retiredOrNotPublic: counts?.either ?? 0 };
  indexStates.set(db.$client, fresh);
  return fresh;
}

/** Words of the index one typo away (two for long words) from a word that matched nothing. */
function nearTerms({ terms }: IndexState, term: string): string[] {
  if (term.length < 4) return [];
  const max = term.length >= 8 ? 2 : 1;
  const near: { term: string; distance: number }[] = [];
  for (const candidate of terms) {
    // Compare with the candidate's start too, so a typo in a word still being typed is forgiven.
    const distance = Math.min(editDistance(term, candidate, max), candidate.length > term.length ? editDistance(term, candidate.slice(0, term.length), max) : max + 1);
    if (distance <= max) near.push({ term: candidate, distance });
  }
  return near.sort((a, b) => a.distance - b.distance).slice(0, 8).map((n) => n.term);
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

function hasPrefixMatch({ terms, known }: IndexState, term: string): boolean {
  return known.has(term) || terms.some((t) => t.startsWith(term));
}

export interface SearchOptions {
  limit: number;
  includeRetired?: boolean;
  /** Only codes the public may report (the portal and Open311). */
  publicOnly?: boolean;
}

export interface ProblemCodeHit {
  id: number;
  code: string;
  name: string;
  path: string;
  status: 'active' | 'retired';
}

// Prepared once per connection: building and preparing the SQL on every keystroke costs ~0.1 ms.
function statementsFor(client: Db['$client']) {
  return {
    // The best `window` matches by rank, from the full-text index alone: no other column is read
    // and no other table joined for the thousands of rows a one-letter prefix matches.
    ranked: client.prepare<[string, number], { id: number }>(`
      SELECT rowid AS id FROM problem_code_search WHERE problem_code_search MATCH ?
      ORDER BY bm25(problem_code_search, 0, 0, 0, 10.0, 5.0, 1.0) LIMIT ?`),
    // Used instead when the filters leave out so many codes that the window would be large.
    rankedFiltered: client.prepare<[string, number, number, number], { id: number }>(`
      SELECT rowid AS id FROM problem_code_search WHERE problem_code_search MATCH ?
        AND (? OR status = 'active') AND (NOT ? OR public = 1)
      ORDER BY bm25(problem_code_search, 0, 0, 0, 10.0, 5.0, 1.0) LIMIT ?`),
    hit: client.prepare<[number], ProblemCodeHit & { public: number }>(`
      SELECT s.rowid AS id, n.code, n.name, s.path, s.status, s.public
      FROM problem_code_search s JOIN hierarchy_nodes n ON n.id = s.rowid WHERE s.rowid = ?`),
    byCode: client.prepare<[string], { id: number }>(`SELECT id FROM hierarchy_nodes WHERE code = ? AND level = 'problem_code'`),
  };
}
const statements = perConnection((db) => statementsFor(db.$client));

/** Beyond this many codes left out by the filters, they are applied inside the ranking query instead. */
const MAX_WINDOW_EXTRA = 200;

export function searchProblemCodes(db: Db, text: string, options: SearchOptions): ProblemCodeHit[] {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  const state = indexState(db);
  const { ranked, rankedFiltered, hit, byCode } = statements(db);
  const includeRetired = options.includeRetired === true;
  const publicOnly = options.publicOnly === true;
  const wanted = (h: { status: string; public: number }) => (includeRetired || h.status === 'active') && (!publicOnly || h.public === 1);
  // The filters are applied to the best matches after ranking; the codes they can leave out are
  // counted per hierarchy generation, so ranking `limit + excluded` matches always leaves `limit` that pass.
  const excluded = includeRetired ? (publicOnly ? state.notPublic : 0) : publicOnly ? state.retiredOrNotPublic : state.retired;

  const run = (match: string): ProblemCodeHit[] => {
    const hits: ProblemCodeHit[] = [];
    const take = (id: number) => {
      const row = hit.get(id);
      if (row && wanted(row) && hits.length < options.limit) hits.push({ id: row.id, code: row.code, name: row.name, path: row.path, status: row.status });
    };
    // A code typed exactly (STREET_LIGHT_OUT, s0301) comes first.
    const exact = byCode.get(text.trim().toUpperCase())?.id;
    if (exact !== undefined) take(exact);
    const ids =
      excluded <= MAX_WINDOW_EXTRA
        ? ranked.all(match, options.limit + excluded + 1)
        : rankedFiltered.all(match, includeRetired ? 1 : 0, publicOnly ? 1 : 0, options.limit + 1);
    for (const { id } of ids) {
      if (hits.length >= options.limit) break;
      if (id !== exact) take(id);
    }
    return hits;
  };

  // Every word must match, the last as a prefix (it may still be being typed) and the others whole
  // or as a prefix too, so "street li" finds "Street light out".
  const exact = terms.map((t) => `${quote(t)}*`).join(' AND ');
  const hits = run(exact);
  if (hits.length > 0) return hits;

  // Nothing: forgive small typos in the words that match nothing at all, and leave out a word that
  // matches nothing even then ("brokn strret light" still finds the street lights).
  let changed = false;
  let corrected = 0;
  const tolerant: string[] = [];
  for (const term of terms) {
    if (hasPrefixMatch(state, term)) {
      tolerant.push(`${quote(term)}*`);
      continue;
    }
    changed = true;
    // Correcting costs a pass over the vocabulary: three words at most, the rest are left out.
    if (corrected++ >= 3) continue;
    const near = nearTerms(state, term);
    if (near.length > 0) tolerant.push(`(${near.map(quote).join(' OR ')})`);
  }
  if (!changed || tolerant.length === 0) return [];
  const all = run(tolerant.join(' AND '));
  // Still nothing: the codes that match most of the words, best first.
  return all.length > 0 ? all : run(tolerant.join(' OR '));
}
