// How duplicate rules would have done on a city's past cases:
// `npm run duplicate-rules-report -- <cases.csv | cases.csv.gz> [--radius 50] [--window 30] [--hierarchy <city folder>]`.
// Staff close a later report of a known problem as "duplicate of case N"; those closures say which
// reports a rule should have linked to the first report's work order. Every case is replayed in the
// order it arrived, as intake would have seen it, once per rule: a report joins the best open work
// order the rule finds, or opens its own. The report counts the recorded duplicates that land in their
// original's work order, and the reports a rule pulls into another problem's work order (false links),
// for a grid of radius × window, for --radius/--window, and for the rules a city folder resolves to.
// Prints markdown to stdout. Exit code: 0 when it ran, 1 when the file cannot be used, 2 on wrong usage.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { readCityFolder, resolveSettings, sampleCityDir, type CityHierarchy, type DuplicateRule } from '../server/hierarchy/files.ts';

const usage = `usage: npm run duplicate-rules-report -- <cases.csv | cases.csv.gz> [--radius 50] [--window 30] [--hierarchy <city folder>]
  <cases.csv>   past cases, header first: an id, opened and closed times, a type, the closure text,
                an address and latitude/longitude (Boston's CASE_ENQUIRY_ID, OPEN_DT, CLOSED_DT, TYPE,
                CLOSURE_REASON, Location, LATITUDE, LONGITUDE, or the Open Data names of NYC and SF)
  --radius      metres of the rule looked at in detail (default 50)
  --window      days of that rule (default 30)
  --hierarchy   the city folder whose resolved rules are evaluated (default: the sample city)`;

const gridRadiiMeters = [0, 10, 25, 50, 100, 200];
const gridWindowDays = [1, 3, 7, 14, 30, 60, 90];
/** Types with at least this many recorded duplicates get a row of their own. */
const typeRowMinDuplicates = 20;
/**
 * One point given to this many different addresses is a placeholder, not a place: Boston puts
 * cases it could not geocode at 42.3594,-71.0587 (about City Hall), whatever their address.
 */
const placeholderMinAddresses = 20;
const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** Header names that may hold each field, best first; compared in upper case with `_` for spaces. */
const columnNames = {
  id: ['CASE_ENQUIRY_ID', 'UNIQUE_KEY', 'SERVICE_REQUEST_ID', 'CASE_ID'],
  openedAt: ['OPEN_DT', 'CREATED_DATE', 'REQUESTED_DATETIME', 'OPENED'],
  closedAt: ['CLOSED_DT', 'CLOSED_DATE', 'CLOSED'],
  closure: ['CLOSURE_REASON', 'RESOLUTION_DESCRIPTION', 'STATUS_NOTES'],
  type: ['TYPE', 'COMPLAINT_TYPE', 'SERVICE_NAME', 'REQUEST_TYPE'],
  address: ['INCIDENT_ADDRESS', 'ADDRESS', 'LOCATION'],
  latitude: ['LATITUDE', 'LAT'],
  longitude: ['LONGITUDE', 'LONG', 'LON', 'LNG'],
} as const;
type Field = keyof typeof columnNames;
const requiredFields: Field[] = ['id', 'openedAt', 'closure', 'type'];

class UsageError extends Error {}
class InputError extends Error {}

interface PastCase {
  id: string;
  type: string;
  /** Wall-clock milliseconds as written in the file: cases are only compared with each other. */
  openedAt: number;
  /** Infinity while the case is still open. */
  closedAt: number;
  /** NaN when the file has no usable coordinates for the case. */
  lat: number;
  lon: number;
  /** Upper case, spaces collapsed; '' when unknown. */
  address: string;
  duplicate: boolean;
  /** Case ids its closure text names, completed to full ids. */
  cited: string[];
}

const hasPlace = (c: PastCase) => !Number.isNaN(c.lat);
const count = (n: number) => n.toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);

// ---------------------------------------------------------------------------------------------
// Reading the file

/** `MM/DD/YYYY hh:mm:ss AM` (Boston, NYC display names) or ISO-like `YYYY-MM-DD[T ]hh:mm:ss` (Socrata, BigQuery). */
function parseTimestamp(text: string): number | null {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AP]M)?)?/i.exec(text.trim());
  if (us) {
    const [, month, day, year, hour = '0', minute = '0', second = '0', half] = us;
    let h = Number(hour) % (half ? 12 : 24);
    if (half?.toUpperCase() === 'PM') h += 12;
    return Date.UTC(Number(year), Number(month) - 1, Number(day), h, Number(minute), Number(second));
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text.trim());
  if (iso) {
    const [, year, month, day, hour = '0', minute = '0', second = '0'] = iso;
    return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  }
  return null;
}

const duplicateClosure = /\bduplicate/i;
const notDuplicateClosure = /\bnot an? duplicate/i;

/**
 * Case numbers a closure text names. Staff often type only the last digits ("duplicate to 1347664"
 * for case 101001347664), so a shorter number takes its leading digits from the case's own id.
 * Numbers under five digits are too short to be a case (times, dates, house numbers).
 */
function citedCaseIds(closure: string, ownId: string): string[] {
  const ids: string[] = [];
  const numericId = /^\d+$/.test(ownId);
  for (const [digits] of closure.matchAll(/(?<!\d)\d{5,}(?!\d)/g)) {
    const id = numericId && digits.length < ownId.length ? ownId.slice(0, ownId.length - digits.length) + digits : digits;
    if (id !== ownId && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function openInput(path: string): Readable {
  const file = createReadStream(path);
  if (!path.toLowerCase().endsWith('.gz')) return file;
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}

function columnsOf(header: string[], file: string): Record<Field, number> {
  const names = header.map((h) => h.trim().toUpperCase().replace(/\s+/g, '_'));
  const columns = Object.fromEntries(
    (Object.keys(columnNames) as Field[]).map((field) => {
      const found = columnNames[field].map((name) => names.indexOf(name)).find((i) => i >= 0);
      return [field, found ?? -1];
    }),
  ) as Record<Field, number>;
  const missing = requiredFields.filter((f) => columns[f] < 0);
  if (missing.length) {
    const wanted = missing.map((f) => `${f} (${columnNames[f].join(' or ')})`).join('; ');
    throw new InputError(`${file}: the header has no column for ${wanted}. Found: ${header.slice(0, 15).join(',').slice(0, 300)}`);
  }
  if (columns.address < 0 && (columns.latitude < 0 || columns.longitude < 0)) {
    throw new InputError(`${file}: the header has neither an address nor latitude and longitude columns; duplicates are found by place.`);
  }
  return columns;
}

interface ReadResult {
  cases: PastCase[];
  skipped: { noId: number; noOpenTime: number; repeatedId: number };
  /** Raw "lat,lon" text of each case, to find placeholder points once all are read. */
  pointText: string[];
}

async function readCases(path: string): Promise<ReadResult> {
  const file = basename(path);
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  const input = openInput(path);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  const cases: PastCase[] = [];
  const pointText: string[] = [];
  const seen = new Set<string>();
  const skipped = { noId: 0, noOpenTime: 0, repeatedId: 0 };
  let columns: Record<Field, number> | undefined;
  const at = (row: string[], field: Field) => (columns![field] < 0 ? '' : (row[columns![field]] ?? '').trim());

  for await (const row of parser as AsyncIterable<string[]>) {
    if (!columns) {
      columns = columnsOf(row, file);
      continue;
    }
    const id = at(row, 'id');
    if (!id) {
      skipped.noId++;
      continue;
    }
    if (seen.has(id)) {
      skipped.repeatedId++;
      continue;
    }
    const openedAt = parseTimestamp(at(row, 'openedAt'));
    if (openedAt === null) {
      skipped.noOpenTime++;
      continue;
    }
    seen.add(id);
    const closure = at(row, 'closure');
    const duplicate = duplicateClosure.test(closure) && !notDuplicateClosure.test(closure);
    const lat = Number.parseFloat(at(row, 'latitude'));
    const lon = Number.parseFloat(at(row, 'longitude'));
    const placed = Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0);
    cases.push({
      id,
      type: at(row, 'type'),
      openedAt,
      closedAt: parseTimestamp(at(row, 'closedAt')) ?? Number.POSITIVE_INFINITY,
      lat: placed ? lat : Number.NaN,
      lon: placed ? lon : Number.NaN,
      address: at(row, 'address').toUpperCase().replace(/\s+/g, ' '),
      duplicate,
      cited: duplicate ? citedCaseIds(closure, id) : [],
    });
    pointText.push(placed ? `${at(row, 'latitude')},${at(row, 'longitude')}` : '');
  }
  if (!columns) throw new InputError(`${file} is empty: the first line must be the header.`);
  return { cases, skipped, pointText };
}

/** Points given to many different addresses are placeholders; their cases are taken as unplaced. */
function dropPlaceholderPoints(cases: PastCase[], pointText: string[]): { point: string; cases: number; addresses: number }[] {
  const addressesAt = new Map<string, Set<string>>();
  const casesAt = new Map<string, number>();
  cases.forEach((c, i) => {
    const point = pointText[i]!;
    if (!point) return;
    casesAt.set(point, (casesAt.get(point) ?? 0) + 1);
    if (!c.address) return;
    const set = addressesAt.get(point) ?? new Set<string>();
    set.add(c.address);
    addressesAt.set(point, set);
  });
  const placeholders = [...addressesAt].filter(([, set]) => set.size >= placeholderMinAddresses).map(([point, set]) => ({ point, cases: casesAt.get(point)!, addresses: set.size }));
  const dropped = new Set(placeholders.map((p) => p.point));
  cases.forEach((c, i) => {
    if (dropped.has(pointText[i]!)) {
      c.lat = Number.NaN;
      c.lon = Number.NaN;
    }
  });
  return placeholders.sort((a, b) => b.cases - a.cases);
}

/** The decimals most coordinates are written with: they set how finely distances can be told apart. */
function usualDecimals(pointText: string[]): number | null {
  const counts = new Map<number, number>();
  for (const point of pointText) {
    if (!point) continue;
    const decimals = point.split(',')[0]!.split('.')[1]?.length ?? 0;
    counts.set(decimals, (counts.get(decimals) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Recorded duplicates

interface Pair {
  duplicate: number;
  /** Index of the original in the cases, or -1 when the file does not hold it. */
  original: number;
}

interface Record311 {
  pairs: Pair[];
  /** Recorded duplicates whose closure names no case. */
  uncited: number;
  /** Recorded duplicates that name cases the file does not hold. */
  originalMissing: number;
  /** Recorded duplicates naming more than one case (the first the file holds is taken). */
  citingSeveral: number;
  /**
   * Recorded problem of each case: cases joined by "duplicate of" share one. A link into a work order
   * whose first report shares the problem agrees with the record.
   */
  problemOf: Int32Array;
  /** For each case, the index of its recorded original in the file, or -1. */
  originalOf: Int32Array;
}

function recordedDuplicates(cases: PastCase[]): Record311 {
  const indexOf = new Map(cases.map((c, i) => [c.id, i]));
  const missingIds = new Map<string, number>();
  // Union-find over the cases and the originals the file lacks: two reports citing the same missing
  // case are still one problem.
  const parent: number[] = cases.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const originalOf = new Int32Array(cases.length).fill(-1);
  const pairs: Pair[] = [];
  let uncited = 0;
  let originalMissing = 0;
  let citingSeveral = 0;
  cases.forEach((c, i) => {
    if (!c.duplicate) return;
    if (c.cited.length === 0) {
      uncited++;
      return;
    }
    if (c.cited.length > 1) citingSeveral++;
    const inFile = c.cited.map((id) => indexOf.get(id)).find((j) => j !== undefined);
    if (inFile === undefined) {
      originalMissing++;
      const id = c.cited[0]!;
      if (!missingIds.has(id)) {
        missingIds.set(id, parent.length);
        parent.push(parent.length);
      }
      join(i, missingIds.get(id)!);
      pairs.push({ duplicate: i, original: -1 });
      return;
    }
    join(i, inFile);
    originalOf[i] = inFile;
    pairs.push({ duplicate: i, original: inFile });
  });
  const problemOf = Int32Array.from(cases, (_, i) => root(i));
  return { pairs, uncited, originalMissing, citingSeveral, problemOf, originalOf };
}

const earthRadiusMeters = 6_371_008.8;
const metresPerDegree = (Math.PI * earthRadiusMeters) / 180;

function greatCircleMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Metres between two cases; null when either has no coordinates (then only the address can match). */
function distanceBetween(a: PastCase, b: PastCase): number | null {
  return hasPlace(a) && hasPlace(b) ? greatCircleMeters(a.lat, a.lon, b.lat, b.lon) : null;
}

interface PairFacts {
  pair: Pair & { original: number };
  sameType: boolean;
  distanceMeters: number | null;
  sameAddress: boolean;
  /** The duplicate's opening minus the original's; negative when staff kept the later report. */
  gapMs: number;
  originalStillOpen: boolean;
}

function pairFacts(cases: PastCase[], pairs: Pair[]): PairFacts[] {
  return pairs
    .filter((p): p is Pair & { original: number } => p.original >= 0)
    .map((pair) => {
      const d = cases[pair.duplicate]!;
      const o = cases[pair.original]!;
      return {
        pair,
        sameType: d.type === o.type,
        distanceMeters: distanceBetween(d, o),
        sameAddress: d.address !== '' && d.address === o.address,
        gapMs: d.openedAt - o.openedAt,
        originalStillOpen: o.closedAt > d.openedAt,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Replaying intake

interface Rule {
  radiusMeters: number;
  windowMs: number;
  /** Work orders under this key are the same kind of problem (a type, a code or a category). */
  kind: string;
}

interface Replay {
  /** Per case, the index of the case that opened its work order (itself when it opened one). */
  workOrderOf: Int32Array;
}

/**
 * The open work orders, found by kind and place: a grid of cells at least as wide as the largest
 * radius (so a 3 × 3 block holds every candidate) and, for reports without coordinates, by address.
 * Work orders that closed or grew older than any window are dropped as they are met: intake only
 * moves forward in time.
 */
class OpenWorkOrders {
  private readonly byCell = new Map<string, Map<number, number[]>>();
  private readonly byAddress = new Map<string, number[]>();
  private readonly cellLat: number;
  private readonly cellLon: number;

  constructor(
    private readonly cases: PastCase[],
    cellMeters: number,
    private readonly maxWindowMs: number,
    maxAbsLatitude: number,
  ) {
    this.cellLat = cellMeters / metresPerDegree;
    // Degrees of longitude shrink towards the poles; sizing cells at the city's highest latitude keeps
    // every cell at least cellMeters wide.
    this.cellLon = cellMeters / (metresPerDegree * Math.max(Math.cos((maxAbsLatitude * Math.PI) / 180), 1e-6));
  }

  private cellOf(lat: number, lon: number, dLat = 0, dLon = 0): number {
    // Rows times a width far beyond any longitude cell count keeps the key a safe integer.
    return (Math.floor(lat / this.cellLat) + dLat) * 4_194_304 + (Math.floor(lon / this.cellLon) + dLon);
  }

  add(anchor: number, kinds: string[]): void {
    const c = this.cases[anchor]!;
    for (const kind of kinds) {
      if (hasPlace(c)) {
        const cells = this.byCell.get(kind) ?? new Map<number, number[]>();
        this.byCell.set(kind, cells);
        const key = this.cellOf(c.lat, c.lon);
        const list = cells.get(key);
        if (list) list.push(anchor);
        else cells.set(key, [anchor]);
      }
      if (c.address) {
        const key = `${kind}\n${c.address}`;
        const list = this.byAddress.get(key);
        if (list) list.push(anchor);
        else this.byAddress.set(key, [anchor]);
      }
    }
  }

  /** Drops what can match no later report; returns what is left. */
  private live(list: number[], now: number): number[] {
    let kept = 0;
    for (const anchor of list) {
      const w = this.cases[anchor]!;
      if (w.closedAt > now && now - w.openedAt <= this.maxWindowMs) list[kept++] = anchor;
    }
    list.length = kept;
    return list;
  }

  /**
   * The work order a new report joins under the rule, or -1. Ranked as the work-order duplicate search
   * ranks candidates (mostly nearness, then freshness), ties going to the oldest.
   */
  find(report: number, rule: Rule): number {
    const c = this.cases[report]!;
    const now = c.openedAt;
    let best = -1;
    let bestScore = -1;
    const consider = (anchor: number, distance: number | null) => {
      const w = this.cases[anchor]!;
      const age = now - w.openedAt;
      if (age > rule.windowMs || w.closedAt <= now) return;
      if (distance !== null && distance > rule.radiusMeters) return;
      const nearness = distance === null ? 1 : 1 - distance / Math.max(rule.radiusMeters, 1);
      const freshness = 1 - Math.min(1, age / Math.max(rule.windowMs, 1));
      const score = 0.75 * nearness + 0.25 * freshness;
      if (score > bestScore || (score === bestScore && anchor < best)) {
        best = anchor;
        bestScore = score;
      }
    };
    if (hasPlace(c)) {
      const cells = this.byCell.get(rule.kind);
      for (let dLat = -1; dLat <= 1 && cells; dLat++) {
        for (let dLon = -1; dLon <= 1; dLon++) {
          const list = cells.get(this.cellOf(c.lat, c.lon, dLat, dLon));
          if (!list) continue;
          for (const anchor of this.live(list, now)) {
            const w = this.cases[anchor]!;
            consider(anchor, greatCircleMeters(c.lat, c.lon, w.lat, w.lon));
          }
        }
      }
    }
    // Without coordinates on either side, the same address is the same place.
    if (c.address) {
      const list = this.byAddress.get(`${rule.kind}\n${c.address}`);
      for (const anchor of list ? this.live(list, now) : []) {
        if (!hasPlace(c) || !hasPlace(this.cases[anchor]!)) consider(anchor, null);
      }
    }
    return best;
  }
}

/** A set of rules: the rule of a report's kind (null: never linked), and the kinds a work order it opens is found under. */
interface Rules {
  ruleFor: (c: PastCase) => Rule | null;
  kindsOf: (c: PastCase) => string[];
}

/** Replays the cases in the order they arrived. */
function replay(cases: PastCase[], { ruleFor, kindsOf }: Rules): Replay {
  let maxRadius = 0;
  let maxWindow = 0;
  let maxAbsLatitude = 0;
  const rules = cases.map((c) => {
    const rule = ruleFor(c);
    if (rule) {
      maxRadius = Math.max(maxRadius, rule.radiusMeters);
      maxWindow = Math.max(maxWindow, rule.windowMs);
    }
    if (hasPlace(c)) maxAbsLatitude = Math.max(maxAbsLatitude, Math.abs(c.lat));
    return rule;
  });
  const open = new OpenWorkOrders(cases, Math.max(maxRadius, 10), maxWindow, maxAbsLatitude);
  const workOrderOf = new Int32Array(cases.length);
  cases.forEach((c, i) => {
    const rule = rules[i]!;
    const joined = rule ? open.find(i, rule) : -1;
    if (joined >= 0) workOrderOf[i] = workOrderOf[joined]!;
    else {
      workOrderOf[i] = i;
      open.add(i, kindsOf(c));
    }
  });
  return { workOrderOf };
}

interface Outcome {
  /** Recorded duplicates (original in the file) in the same work order as their original. */
  linked: number;
  /** Recorded duplicates with the original in the file, put into another problem's work order. */
  wrongWorkOrder: number;
  /** Reports not recorded as duplicates, put into a work order the record does not tie them to. */
  nonDuplicatesLinked: number;
  /** Recorded duplicates whose original the file lacks, linked to some work order (cannot be judged). */
  unjudgedLinked: number;
}

const falseLinks = (o: Outcome) => o.wrongWorkOrder + o.nonDuplicatesLinked;

function judge(cases: PastCase[], record: Record311, { workOrderOf }: Replay, only?: (c: PastCase) => boolean): Outcome {
  const outcome: Outcome = { linked: 0, wrongWorkOrder: 0, nonDuplicatesLinked: 0, unjudgedLinked: 0 };
  cases.forEach((c, i) => {
    if (only && !only(c)) return;
    const original = record.originalOf[i]!;
    if (original >= 0) {
      if (workOrderOf[i] === workOrderOf[original]) outcome.linked++;
      else if (workOrderOf[i] !== i) outcome.wrongWorkOrder++;
      return;
    }
    if (workOrderOf[i] === i) return;
    if (c.duplicate) outcome.unjudgedLinked++;
    else if (record.problemOf[i] !== record.problemOf[workOrderOf[i]!]) outcome.nonDuplicatesLinked++;
  });
  return outcome;
}

const sameTypeRule = (radiusMeters: number, windowDays: number): Rules => ({
  ruleFor: (c: PastCase): Rule => ({ radiusMeters, windowMs: windowDays * dayMs, kind: c.type }),
  kindsOf: (c: PastCase) => [c.type],
});

// ---------------------------------------------------------------------------------------------
// The city folder's rules

interface Shipped {
  code: string;
  categoryCode: string;
  rule: DuplicateRule | null;
  /** Which level the rule comes from. */
  from: string;
  matchedBy: 'name' | 'synonym' | 'keyword';
  /** Other codes the type matched as well as (not better than) this one. */
  alsoMatched: string[];
}

const fold = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** Each of the file's types that a problem code names, by its name, a synonym or a keyword (best first). */
function shippedRulesByType(hierarchy: CityHierarchy, types: string[]): Map<string, Shipped> {
  const levels = ['name', 'synonym', 'keyword'] as const;
  const byText = new Map<string, Omit<Shipped, 'alsoMatched'>[]>();
  const note = (text: string, entry: Omit<Shipped, 'alsoMatched'>) => {
    const key = fold(text);
    const list = byText.get(key) ?? [];
    if (!list.some((e) => e.code === entry.code && e.matchedBy === entry.matchedBy)) list.push(entry);
    byText.set(key, list);
  };
  for (const { data: d } of hierarchy.departments) {
    for (const p of d.providers) {
      for (const c of p.categories) {
        for (const pc of c.problemCodes) {
          if (pc.status === 'retired') continue;
          const chain = [
            { source: 'city', settings: hierarchy.city.defaults },
            { source: d.code, settings: d.defaults },
            { source: p.code, settings: p.defaults },
            { source: c.code, settings: c.defaults },
            { source: pc.code, settings: pc },
          ];
          const { value, from } = resolveSettings(chain, p.code);
          const base = { code: pc.code, categoryCode: c.code, rule: value.duplicateRule, from: from.duplicateRule ?? 'default' };
          note(pc.name, { ...base, matchedBy: 'name' });
          for (const s of pc.synonyms ?? []) note(s, { ...base, matchedBy: 'synonym' });
          for (const k of pc.keywords ?? []) note(k, { ...base, matchedBy: 'keyword' });
        }
      }
    }
  }
  const result = new Map<string, Shipped>();
  for (const type of types) {
    const found = byText.get(fold(type)) ?? [];
    for (const level of levels) {
      const atLevel = found.filter((e) => e.matchedBy === level);
      if (atLevel.length === 0) continue;
      result.set(type, { ...atLevel[0]!, alsoMatched: atLevel.slice(1).map((e) => e.code) });
      break;
    }
  }
  return result;
}

const describeRule = (rule: DuplicateRule | null) =>
  rule === null
    ? 'none'
    : `${rule.radiusMeters} m / ${rule.windowDays} d${rule.scope === 'category' ? ', category' : ''}${rule.matchAttribute ? `, ${rule.matchAttribute}` : ''}`;

function shippedRules(shipped: Map<string, Shipped>): Rules {
  return {
    ruleFor: (c: PastCase): Rule | null => {
      const s = shipped.get(c.type);
      if (!s?.rule) return null;
      // The file has no answers, so a rule's matchAttribute cannot be checked: place and time decide
      // alone, which links at least as much as the rule would.
      return { radiusMeters: s.rule.radiusMeters, windowMs: s.rule.windowDays * dayMs, kind: s.rule.scope === 'category' ? `category ${s.categoryCode}` : `code ${s.code}` };
    },
    kindsOf: (c: PastCase) => {
      const s = shipped.get(c.type);
      return s ? [`code ${s.code}`, `category ${s.categoryCode}`] : [`unmapped ${c.type}`];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Printing

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const percentiles = [10, 25, 50, 75, 90, 95];

function formatGap(ms: number): string {
  if (Number.isNaN(ms)) return '–';
  const hours = ms / hourMs;
  if (Math.abs(hours) < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

const formatMeters = (m: number) => (Number.isNaN(m) ? '–' : `${Math.round(m)} m`);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Why a recorded pair fails the rule "same type, original open, within window and radius"; null when it passes. */
function pairMiss(f: PairFacts, radiusMeters: number, windowDays: number): string | null {
  if (f.gapMs < 0) return 'the original was opened after the duplicate';
  if (!f.sameType) return 'a different type';
  if (!f.originalStillOpen) return 'the original was already closed';
  if (f.gapMs > windowDays * dayMs) return `more than ${windowDays} days after the original`;
  if (f.distanceMeters === null) return f.sameAddress ? null : 'no coordinates, and a different address';
  if (f.distanceMeters > radiusMeters) return `more than ${radiusMeters} m away`;
  return null;
}

interface Options {
  file: string;
  radiusMeters: number;
  windowDays: number;
  hierarchyDir: string;
}

function readOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        radius: { type: 'string', default: '50' },
        window: { type: 'string', default: '30' },
        hierarchy: { type: 'string', default: sampleCityDir },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the file of past cases' : 'name one file of past cases');
  const radiusMeters = Number(values.radius);
  const windowDays = Number(values.window);
  if (!Number.isFinite(radiusMeters) || radiusMeters < 0) throw new UsageError('--radius must be a number of metres, 0 or more');
  if (!Number.isFinite(windowDays) || windowDays <= 0) throw new UsageError('--window must be a number of days, more than 0');
  return { file: positionals[0]!, radiusMeters, windowDays, hierarchyDir: values.hierarchy };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(usage);
    return 2;
  }
  const { file, radiusMeters, windowDays } = options;

  const { hierarchy, problems } = readCityFolder(options.hierarchyDir);
  if (!hierarchy) {
    for (const p of problems) console.error(`${p.file}: ${p.path}: ${p.message}`);
    console.error(`The city folder ${options.hierarchyDir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; its rules cannot be evaluated.`);
    return 1;
  }

  let read: ReadResult;
  try {
    read = await readCases(file);
  } catch (error) {
    if (error instanceof InputError) {
      console.error(error.message);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'Z_DATA_ERROR' || (error as { code?: string }).code?.startsWith('CSV_')) {
      console.error(`${file} cannot be read: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
  const placeholders = dropPlaceholderPoints(read.cases, read.pointText);
  const decimals = usualDecimals(read.pointText);
  // Replays run in arrival order; the original order of the file is kept for equal times.
  const order = read.cases.map((_, i) => i).sort((a, b) => read.cases[a]!.openedAt - read.cases[b]!.openedAt || a - b);
  const cases = order.map((i) => read.cases[i]!);
  const record = recordedDuplicates(cases);
  const facts = pairFacts(cases, record.pairs);
  const duplicates = cases.filter((c) => c.duplicate).length;
  const out: string[] = [];
  const say = (...lines: string[]) => out.push(...lines);

  // -- The file
  const unplaced = cases.filter((c) => !hasPlace(c)).length;
  const times = cases.map((c) => c.openedAt);
  const first = new Date(Math.min(...times)).toISOString().slice(0, 10);
  const last = new Date(Math.max(...times)).toISOString().slice(0, 10);
  const typeCount = new Set(cases.map((c) => c.type)).size;
  say(`# Duplicate rules on past cases: ${basename(file)}`, '');
  say(`- ${count(cases.length)} cases of ${count(typeCount)} types, opened ${first} to ${last}; ${count(cases.filter((c) => c.closedAt === Number.POSITIVE_INFINITY).length)} still open in the file.`);
  const skippedTotal = read.skipped.noId + read.skipped.noOpenTime + read.skipped.repeatedId;
  if (skippedTotal) say(`- Rows left out: ${count(read.skipped.noId)} without an id, ${count(read.skipped.noOpenTime)} without a readable opening time, ${count(read.skipped.repeatedId)} repeating an id.`);
  say(`- ${count(unplaced)} cases (${percent(unplaced, cases.length)}) have no usable coordinates; they are matched by address text.`);
  for (const p of placeholders) say(`  - placeholder point ${p.point}: ${count(p.cases)} cases at ${count(p.addresses)} different addresses, taken as no coordinates.`);
  if (decimals !== null) say(`- Coordinates are mostly written with ${decimals} decimals (about ${Math.round(metresPerDegree / 10 ** decimals)} m of latitude), so smaller distances cannot be told apart.`);
  say('');

  // -- Recorded duplicates
  say('## Cases closed as duplicates', '');
  const inFile = facts.length;
  say(
    table(
      ['recorded duplicates', 'count', 'share'],
      [
        ['closed as a duplicate', count(duplicates), '100%'],
        ['… naming an original the file holds', count(inFile), percent(inFile, duplicates)],
        ['… naming an original the file does not hold', count(record.originalMissing), percent(record.originalMissing, duplicates)],
        ['… naming no case', count(record.uncited), percent(record.uncited, duplicates)],
      ],
    ),
    '',
  );
  if (record.citingSeveral) say(`${count(record.citingSeveral)} closures name more than one case; the first one the file holds is taken as the original.`, '');
  say('Only the pairs whose original is in the file can be checked; the others count as not linked below.', '');

  // -- Pair facts
  const sameType = facts.filter((f) => f.sameType).length;
  const earlier = facts.filter((f) => f.gapMs >= 0);
  const stillOpen = earlier.filter((f) => f.originalStillOpen).length;
  const measured = facts.filter((f) => f.distanceMeters !== null);
  const unmeasured = facts.length - measured.length;
  const unmeasuredSameAddress = facts.filter((f) => f.distanceMeters === null && f.sameAddress).length;
  say('## The recorded pairs (duplicate and the original it names)', '');
  say(
    table(
      ['fact', 'pairs', 'share'],
      [
        ['same type', count(sameType), percent(sameType, inFile)],
        ['original opened before the duplicate', count(earlier.length), percent(earlier.length, inFile)],
        ['… and still open when the duplicate came in', count(stillOpen), percent(stillOpen, inFile)],
        ['both have coordinates', count(measured.length), percent(measured.length, inFile)],
        ['either lacks coordinates', count(unmeasured), percent(unmeasured, inFile)],
        ['… of which at the same address text', count(unmeasuredSameAddress), percent(unmeasuredSameAddress, unmeasured)],
      ],
    ),
    '',
  );
  const distances = measured.map((f) => f.distanceMeters!).sort((a, b) => a - b);
  const sameTypeDistances = measured.filter((f) => f.sameType).map((f) => f.distanceMeters!).sort((a, b) => a - b);
  const gaps = earlier.map((f) => f.gapMs).sort((a, b) => a - b);
  const sameTypeGaps = earlier.filter((f) => f.sameType).map((f) => f.gapMs).sort((a, b) => a - b);
  say(
    table(
      ['percentile', ...percentiles.map((p) => `p${p}`)],
      [
        [`distance, all pairs (${count(distances.length)})`, ...percentiles.map((p) => formatMeters(percentile(distances, p)))],
        [`distance, same type (${count(sameTypeDistances.length)})`, ...percentiles.map((p) => formatMeters(percentile(sameTypeDistances, p)))],
        [`time after the original, all (${count(gaps.length)})`, ...percentiles.map((p) => formatGap(percentile(gaps, p)))],
        [`time after the original, same type (${count(sameTypeGaps.length)})`, ...percentiles.map((p) => formatGap(percentile(sameTypeGaps, p)))],
      ],
    ),
    '',
  );
  say('Times are between the two openings; pairs whose original was opened later are left out of them.', '');

  // -- Grid
  const grid = gridRadiiMeters.map((r) => gridWindowDays.map((w) => judge(cases, record, replay(cases, sameTypeRule(r, w)))));
  const total = cases.length;
  say('## Rule "same type, within radius and window of the work order\'s first report, while it is open"', '');
  say(`Recorded duplicates that land in their original's work order (of all ${count(duplicates)} recorded duplicates):`, '');
  say(
    table(
      ['radius \\ window', ...gridWindowDays.map((w) => `${w} d`)],
      grid.map((row, ri) => [`${gridRadiiMeters[ri]} m`, ...row.map((o) => `${count(o.linked)} (${percent(o.linked, duplicates)})`)]),
    ),
    '',
  );
  say(`False links: reports put into a work order the record does not tie them to (of all ${count(total)} cases), as "recorded duplicates put with another problem + other reports":`, '');
  say(
    table(
      ['radius \\ window', ...gridWindowDays.map((w) => `${w} d`)],
      grid.map((row, ri) => [`${gridRadiiMeters[ri]} m`, ...row.map((o) => `${count(falseLinks(o))} (${count(o.wrongWorkOrder)} + ${count(o.nonDuplicatesLinked)})`)]),
    ),
    '',
  );
  say(
    'A report not closed as a duplicate may still have been one: staff often closed both together without saying so. ' +
      'False links are therefore an upper bound on the harm, and recorded duplicates a lower bound on the real ones.',
    '',
  );

  // -- The rule asked about
  const askedReplay = replay(cases, sameTypeRule(radiusMeters, windowDays));
  const askedOutcome = judge(cases, record, askedReplay);
  say(`## ${radiusMeters} m / ${windowDays} days, same type`, '');
  const misses = new Map<string, number>();
  let pairPasses = 0;
  let passedButApart = 0;
  let failedButTogether = 0;
  for (const f of facts) {
    const miss = pairMiss(f, radiusMeters, windowDays);
    const together = askedReplay.workOrderOf[f.pair.duplicate] === askedReplay.workOrderOf[f.pair.original];
    if (miss === null) {
      pairPasses++;
      if (!together) passedButApart++;
    } else {
      misses.set(miss, (misses.get(miss) ?? 0) + 1);
      if (together) failedButTogether++;
    }
  }
  say(
    table(
      ['recorded pairs (original in the file)', 'pairs', 'share'],
      [
        ['meet the rule, duplicate against original', count(pairPasses), percent(pairPasses, inFile)],
        ...[...misses].sort((a, b) => b[1] - a[1]).map(([why, n]) => [`fail: ${why}`, count(n), percent(n, inFile)]),
      ],
    ),
    '',
  );
  say(
    `In the replay, ${count(askedOutcome.linked)} of ${count(duplicates)} recorded duplicates (${percent(askedOutcome.linked, duplicates)}) share their original's work order ` +
      `(${count(passedButApart)} pairs that meet the rule ended up apart because the original had itself joined an older work order the duplicate could not reach; ` +
      `${count(failedButTogether)} pairs that fail it ended up together through such a chain). ` +
      `False links: ${count(falseLinks(askedOutcome))} (${count(askedOutcome.wrongWorkOrder)} recorded duplicates put with another problem, ${count(askedOutcome.nonDuplicatesLinked)} other reports). ` +
      `${count(askedOutcome.unjudgedLinked)} recorded duplicates whose original is not in the file were linked to some work order.`,
    '',
  );

  // -- The city folder's own rules
  const types = [...new Set(cases.map((c) => c.type))];
  const shipped = shippedRulesByType(hierarchy, types);
  const shippedRun = replay(cases, shippedRules(shipped));
  const shippedOutcome = judge(cases, record, shippedRun);
  const mappedCases = cases.filter((c) => shipped.has(c.type)).length;
  const mappedDuplicates = cases.filter((c) => c.duplicate && shipped.has(c.type)).length;
  const ruled = cases.filter((c) => c.duplicate && shipped.get(c.type)?.rule).length;
  const withAttribute = [...shipped.values()].filter((s) => s.rule?.matchAttribute);
  say(`## The rules of ${basename(options.hierarchyDir)} (${hierarchy.city.name})`, '');
  say(
    `- ${count(shipped.size)} of ${count(types.length)} types map to a problem code by name, synonym or keyword ` +
      `(${count(mappedCases)} cases, ${percent(mappedCases, cases.length)}; ${count(mappedDuplicates)} of the ${count(duplicates)} recorded duplicates). ` +
      `${count(ruled)} recorded duplicates are of a type whose code has a duplicate rule.`,
  );
  const ambiguous = [...shipped].filter(([, s]) => s.alsoMatched.length);
  if (ambiguous.length) say(`- Types matching several codes equally (the first is used): ${ambiguous.map(([t, s]) => `${t} → ${s.code} (also ${s.alsoMatched.join(', ')})`).join('; ')}.`);
  if (withAttribute.length) {
    say(`- ${count(new Set(withAttribute.map((s) => s.code)).size)} mapped codes also match on an answer (${[...new Set(withAttribute.map((s) => s.rule!.matchAttribute))].join(', ')}); the file has no answers, so they are judged on place and time only, which links at least as much as they would.`);
  }
  const unmapped = types.filter((t) => !shipped.has(t));
  const unmappedDuplicates = cases.filter((c) => c.duplicate && !shipped.has(c.type)).length;
  if (unmapped.length) say(`- Not mapped (never linked here; ${count(unmappedDuplicates)} recorded duplicates): ${unmapped.sort().join('; ')}.`);
  say('');
  say(
    `**With these rules, ${count(shippedOutcome.linked)} of ${count(duplicates)} recorded duplicates (${percent(shippedOutcome.linked, duplicates)}) would have joined their original's work order` +
      ` (${percent(shippedOutcome.linked, inFile)} of the ${count(inFile)} whose original is in the file). ` +
      `False links: ${count(falseLinks(shippedOutcome))} (${count(shippedOutcome.wrongWorkOrder)} recorded duplicates put with another problem, ${count(shippedOutcome.nonDuplicatesLinked)} other reports).** ` +
      `${count(shippedOutcome.unjudgedLinked)} recorded duplicates whose original is not in the file were linked to some work order.`,
    '',
  );

  // -- By type
  say(`## By type (types with at least ${typeRowMinDuplicates} recorded duplicates)`, '');
  const byType = new Map<string, PairFacts[]>();
  for (const f of facts) {
    const type = cases[f.pair.duplicate]!.type;
    byType.set(type, [...(byType.get(type) ?? []), f]);
  }
  const casesOfType = new Map<string, number>();
  const duplicatesOfType = new Map<string, number>();
  for (const c of cases) {
    casesOfType.set(c.type, (casesOfType.get(c.type) ?? 0) + 1);
    if (c.duplicate) duplicatesOfType.set(c.type, (duplicatesOfType.get(c.type) ?? 0) + 1);
  }
  const rows: string[][] = [];
  for (const [type, n] of [...duplicatesOfType].sort((a, b) => b[1] - a[1])) {
    if (n < typeRowMinDuplicates) break;
    const typeFacts = byType.get(type) ?? [];
    const usable = typeFacts.filter((f) => f.sameType && f.gapMs >= 0);
    const dist = usable.filter((f) => f.distanceMeters !== null).map((f) => f.distanceMeters!).sort((a, b) => a - b);
    const gap = usable.map((f) => f.gapMs).sort((a, b) => a - b);
    const open = usable.filter((f) => f.originalStillOpen).length;
    const ofType = (c: PastCase) => c.type === type;
    const s = shipped.get(type);
    const mine = judge(cases, record, shippedRun, ofType);
    const theirs = judge(cases, record, askedReplay, ofType);
    rows.push([
      type,
      count(casesOfType.get(type)!),
      `${count(n)} (${count(typeFacts.length)})`,
      percent(typeFacts.filter((f) => f.sameType).length, typeFacts.length),
      percent(open, usable.length),
      `${formatMeters(percentile(dist, 50))} / ${formatMeters(percentile(dist, 90))}`,
      `${formatGap(percentile(gap, 50))} / ${formatGap(percentile(gap, 90))}`,
      s ? `${s.code}: ${describeRule(s.rule)}` : 'not mapped',
      `${count(mine.linked)} / ${count(falseLinks(mine))}`,
      `${count(theirs.linked)} / ${count(falseLinks(theirs))}`,
    ]);
  }
  say(
    table(
      [
        'type',
        'cases',
        'recorded duplicates (original in file)',
        'same type',
        'original open',
        'distance p50 / p90',
        'time p50 / p90',
        'shipped code: rule',
        'shipped: linked / false',
        `${radiusMeters} m / ${windowDays} d: linked / false`,
      ],
      rows,
    ),
    '',
  );
  say('Distances, times and "original open" are over same-type pairs whose original came first. False links are counted on the type of the report linked.', '');

  console.log(out.join('\n'));
  return 0;
}

process.exitCode = await main();
