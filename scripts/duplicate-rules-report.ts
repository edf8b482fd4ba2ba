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
import { earthRadiusMeters, greatCircleMeters } from '../server/work-orders/duplicates.ts';
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
  /** The address text (upper case, spaces collapsed) as a number shared by equal texts; -1 when unknown. */
  addressId: number;
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
 * Shorter numbers are not cases: times, dates, house numbers, and five-digit US postcodes, which
 * closures that paste the address carry.
 */
function citedCaseIds(closure: string, ownId: string): string[] {
  const ids: string[] = [];
  const numericId = /^\d+$/.test(ownId);
  for (const [digits] of closure.matchAll(/(?<!\d)\d{6,}(?!\d)/g)) {
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

function columnsOf(header: string[]): Record<Field, number> {
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
    throw new InputError(`the header has no column for ${wanted}. Found: ${header.slice(0, 15).join(',').slice(0, 300)}`);
  }
  if (columns.address < 0 && (columns.latitude < 0 || columns.longitude < 0)) {
    throw new InputError('the header has neither an address nor latitude and longitude columns; duplicates are found by place.');
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
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  const input = openInput(path);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  const cases: PastCase[] = [];
  const pointText: string[] = [];
  const seen = new Set<string>();
  const addressIds = new Map<string, number>();
  const addressIdOf = (text: string) => {
    const address = text.toUpperCase().replace(/\s+/g, ' ');
    if (!address) return -1;
    let id = addressIds.get(address);
    if (id === undefined) addressIds.set(address, (id = addressIds.size));
    return id;
  };
  const skipped = { noId: 0, noOpenTime: 0, repeatedId: 0 };
  let columns: Record<Field, number> | undefined;
  const at = (row: string[], field: Field) => (columns![field] < 0 ? '' : (row[columns![field]] ?? '').trim());

  for await (const row of parser as AsyncIterable<string[]>) {
    if (!columns) {
      columns = columnsOf(row);
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
      addressId: addressIdOf(at(row, 'address')),
      duplicate,
      cited: duplicate ? citedCaseIds(closure, id) : [],
    });
    pointText.push(placed ? `${at(row, 'latitude')},${at(row, 'longitude')}` : '');
  }
  if (!columns) throw new InputError('the file is empty: the first line must be the header.');
  return { cases, skipped, pointText };
}

/** Points given to many different addresses are placeholders; their cases are taken as unplaced. */
function dropPlaceholderPoints(cases: PastCase[], pointText: string[]): { point: string; cases: number; addresses: number }[] {
  const addressesAt = new Map<string, Set<number>>();
  const casesAt = new Map<string, number>();
  cases.forEach((c, i) => {
    const point = pointText[i]!;
    if (!point) return;
    casesAt.set(point, (casesAt.get(point) ?? 0) + 1);
    if (c.addressId < 0) return;
    const set = addressesAt.get(point) ?? new Set<number>();
    set.add(c.addressId);
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

interface DuplicateRecord {
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

function recordedDuplicates(cases: PastCase[]): DuplicateRecord {
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

const metresPerDegree = (Math.PI * earthRadiusMeters) / 180;

/** Metres between two cases; null when either has no coordinates (then only the address can match). */
function distanceBetween(a: PastCase, b: PastCase): number | null {
  return hasPlace(a) && hasPlace(b) ? greatCircleMeters(a.lat, a.lon, b.lat, b.lon) : null;
}

/**
 * A recorded pair seen as intake sees it: the later report can only join the earlier one's work
 * order, whichever of the two staff kept as the original.
 */
interface PairFacts {
  pair: Pair & { original: number };
  sameType: boolean;
  distanceMeters: number | null;
  sameAddress: boolean;
  /** Staff kept the later report and closed the earlier one as its duplicate. */
  originalCameLater: boolean;
  /** Between the two openings. */
  gapMs: number;
  earlierStillOpen: boolean;
}

function pairFacts(cases: PastCase[], pairs: Pair[]): PairFacts[] {
  return pairs
    .filter((p): p is Pair & { original: number } => p.original >= 0)
    .map((pair) => {
      const d = cases[pair.duplicate]!;
      const o = cases[pair.original]!;
      const [earlier, later] = o.openedAt <= d.openedAt ? [o, d] : [d, o];
      return {
        pair,
        sameType: d.type === o.type,
        distanceMeters: distanceBetween(d, o),
        sameAddress: d.addressId >= 0 && d.addressId === o.addressId,
        originalCameLater: o.openedAt > d.openedAt,
        gapMs: later.openedAt - earlier.openedAt,
        earlierStillOpen: earlier.closedAt > later.openedAt,
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
  private readonly byAddress = new Map<string, Map<number, number[]>>();
  /** Grid row and column of each case, counted from 1 past the city's edge (0 for cases without coordinates). */
  private readonly row: Int32Array;
  private readonly column: Int32Array;
  /** More columns than the city spans, so that row × width + column names one cell (a small integer, quick to hash). */
  private readonly width: number;
  private best = -1;
  private bestScore = -1;

  constructor(
    private readonly cases: PastCase[],
    cellMeters: number,
    private readonly maxWindowMs: number,
  ) {
    const placed = cases.filter(hasPlace);
    const maxAbsLatitude = placed.reduce((max, c) => Math.max(max, Math.abs(c.lat)), 0);
    const cellLat = cellMeters / metresPerDegree;
    // Degrees of longitude shrink towards the poles; sizing cells at the city's highest latitude keeps
    // every cell at least cellMeters wide.
    const cellLon = cellMeters / (metresPerDegree * Math.max(Math.cos((maxAbsLatitude * Math.PI) / 180), 1e-6));
    const firstRow = placed.reduce((min, c) => Math.min(min, Math.floor(c.lat / cellLat)), Number.POSITIVE_INFINITY);
    const firstColumn = placed.reduce((min, c) => Math.min(min, Math.floor(c.lon / cellLon)), Number.POSITIVE_INFINITY);
    this.row = new Int32Array(cases.length);
    this.column = new Int32Array(cases.length);
    let lastColumn = 0;
    cases.forEach((c, i) => {
      if (!hasPlace(c)) return;
      this.row[i] = Math.floor(c.lat / cellLat) - firstRow + 1;
      this.column[i] = Math.floor(c.lon / cellLon) - firstColumn + 1;
      lastColumn = Math.max(lastColumn, this.column[i]!);
    });
    this.width = lastColumn + 2;
  }

  private cellKey(row: number, column: number): number {
    return row * this.width + column;
  }

  private static push(index: Map<string, Map<number, number[]>>, kind: string, key: number, anchor: number): void {
    let lists = index.get(kind);
    if (!lists) index.set(kind, (lists = new Map()));
    const list = lists.get(key);
    if (list) list.push(anchor);
    else lists.set(key, [anchor]);
  }

  add(anchor: number, kinds: string[]): void {
    const c = this.cases[anchor]!;
    for (const kind of kinds) {
      if (hasPlace(c)) OpenWorkOrders.push(this.byCell, kind, this.cellKey(this.row[anchor]!, this.column[anchor]!), anchor);
      if (c.addressId >= 0) OpenWorkOrders.push(this.byAddress, kind, c.addressId, anchor);
    }
  }

  /**
   * The work order a new report joins under the rule, or -1. Ranked as the work-order duplicate search
   * ranks candidates (mostly nearness, then freshness), ties going to the oldest.
   */
  find(report: number, rule: Rule): number {
    const c = this.cases[report]!;
    this.best = -1;
    this.bestScore = -1;
    if (hasPlace(c)) {
      const cells = this.byCell.get(rule.kind);
      const row = this.row[report]!;
      const column = this.column[report]!;
      for (let dRow = -1; dRow <= 1 && cells; dRow++) {
        for (let dColumn = -1; dColumn <= 1; dColumn++) {
          const list = cells.get(this.cellKey(row + dRow, column + dColumn));
          if (list) this.scan(list, c, rule, true);
        }
      }
    }
    // Without coordinates on either side, the same address is the same place.
    const list = c.addressId >= 0 ? this.byAddress.get(rule.kind)?.get(c.addressId) : undefined;
    if (list) this.scan(list, c, rule, false);
    return this.best;
  }

  /** Weighs each live work order of a list against the report, dropping those no later report can match. */
  private scan(list: number[], report: PastCase, rule: Rule, byPlace: boolean): void {
    const now = report.openedAt;
    let kept = 0;
    for (const anchor of list) {
      const w = this.cases[anchor]!;
      if (w.closedAt <= now || now - w.openedAt > this.maxWindowMs) continue;
      list[kept++] = anchor;
      const age = now - w.openedAt;
      if (age > rule.windowMs) continue;
      let nearness = 1;
      if (byPlace) {
        const distance = greatCircleMeters(report.lat, report.lon, w.lat, w.lon);
        if (distance > rule.radiusMeters) continue;
        nearness = 1 - distance / Math.max(rule.radiusMeters, 1);
      } else if (hasPlace(report) && hasPlace(w)) continue;
      const score = 0.75 * nearness + 0.25 * (1 - age / Math.max(rule.windowMs, 1));
      if (score > this.bestScore || (score === this.bestScore && anchor < this.best)) {
        this.best = anchor;
        this.bestScore = score;
      }
    }
    list.length = kept;
  }
}

/** A set of rules: the rule for reports of a type (null: never linked), and the kinds a work order opened by one is found under. */
interface Rules {
  ruleFor: (type: string) => Rule | null;
  kindsOf: (type: string) => string[];
}

/** Replays the cases in the order they arrived. */
function replay(cases: PastCase[], { ruleFor, kindsOf }: Rules): Replay {
  const types = [...new Set(cases.map((c) => c.type))];
  const ruleOfType = new Map(types.map((t) => [t, ruleFor(t)]));
  const kindsOfType = new Map(types.map((t) => [t, kindsOf(t)]));
  const rules = [...ruleOfType.values()].filter((r) => r !== null);
  const maxRadius = Math.max(0, ...rules.map((r) => r.radiusMeters));
  const maxWindow = Math.max(0, ...rules.map((r) => r.windowMs));
  // Cells under 10 m would only multiply the lists: coordinates are rarely finer than that.
  const open = new OpenWorkOrders(cases, Math.max(maxRadius, 10), maxWindow);
  const workOrderOf = new Int32Array(cases.length);
  for (let i = 0; i < cases.length; i++) {
    const type = cases[i]!.type;
    const rule = ruleOfType.get(type) ?? null;
    const joined = rule ? open.find(i, rule) : -1;
    if (joined >= 0) workOrderOf[i] = joined;
    else {
      workOrderOf[i] = i;
      open.add(i, kindsOfType.get(type)!);
    }
  }
  return { workOrderOf };
}

interface Outcome {
  /** Recorded duplicates (original in the file) in the same work order as their original. */
  linked: number;
  /** Recorded duplicates with the original in the file, put into another problem's work order. */
  wrongWorkOrder: number;
  /** Reports not recorded as duplicates, put into a work order the record does not tie them to. */
  nonDuplicatesLinked: number;
  /**
   * Of those, the ones at the very point (or address) of the work order's first report and closed
   * within the hour of it: most likely the same job, closed together without being marked.
   */
  likelyUnrecorded: number;
  /** Recorded duplicates whose original the file lacks, linked to some work order (cannot be judged). */
  unjudgedLinked: number;
}

const noOutcome = (): Outcome => ({ linked: 0, wrongWorkOrder: 0, nonDuplicatesLinked: 0, likelyUnrecorded: 0, unjudgedLinked: 0 });
const falseLinks = (o: Outcome) => o.wrongWorkOrder + o.nonDuplicatesLinked;

function samePlace(a: PastCase, b: PastCase): boolean {
  return hasPlace(a) && hasPlace(b) ? greatCircleMeters(a.lat, a.lon, b.lat, b.lon) < 1 : a.addressId >= 0 && a.addressId === b.addressId;
}

interface Judged {
  total: Outcome;
  /** A false link counts on the type of the report linked. */
  byType: Map<string, Outcome>;
}

/** How a replay compares with the record. */
function judge(cases: PastCase[], record: DuplicateRecord, { workOrderOf }: Replay): Judged {
  const total = noOutcome();
  const byType = new Map<string, Outcome>();
  const tally = (type: string, field: keyof Outcome) => {
    total[field]++;
    let outcome = byType.get(type);
    if (!outcome) byType.set(type, (outcome = noOutcome()));
    outcome[field]++;
  };
  cases.forEach((c, i) => {
    const anchor = workOrderOf[i]!;
    const original = record.originalOf[i]!;
    if (original >= 0) {
      if (anchor === workOrderOf[original]) tally(c.type, 'linked');
      else if (anchor !== i) tally(c.type, 'wrongWorkOrder');
    } else if (anchor === i) {
      // Opened its own work order: nothing to judge.
    } else if (c.duplicate) {
      tally(c.type, 'unjudgedLinked');
    } else if (record.problemOf[i] !== record.problemOf[anchor]) {
      tally(c.type, 'nonDuplicatesLinked');
      const first = cases[anchor]!;
      if (samePlace(c, first) && Math.abs(c.closedAt - first.closedAt) <= hourMs) tally(c.type, 'likelyUnrecorded');
    }
  });
  return { total, byType };
}

const sameTypeRule = (radiusMeters: number, windowDays: number): Rules => ({
  ruleFor: (type) => ({ radiusMeters, windowMs: windowDays * dayMs, kind: type }),
  kindsOf: (type) => [type],
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
    ruleFor: (type) => {
      const s = shipped.get(type);
      if (!s?.rule) return null;
      // The file has no answers, so a rule's matchAttribute cannot be checked: place and time decide
      // alone, which links at least as much as the rule would.
      return { radiusMeters: s.rule.radiusMeters, windowMs: s.rule.windowDays * dayMs, kind: s.rule.scope === 'category' ? `category ${s.categoryCode}` : `code ${s.code}` };
    },
    kindsOf: (type) => {
      const s = shipped.get(type);
      return s ? [`code ${s.code}`, `category ${s.categoryCode}`] : [`unmapped ${type}`];
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
const sorted = (values: number[]) => values.sort((a, b) => a - b);

function formatGap(ms: number): string {
  if (Number.isNaN(ms)) return '–';
  const hours = ms / hourMs;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

const formatMeters = (m: number) => (Number.isNaN(m) ? '–' : `${Math.round(m)} m`);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Why a recorded pair fails the rule "same type, earlier still open, within window and radius"; null when it passes. */
function pairMiss(f: PairFacts, radiusMeters: number, windowDays: number): string | null {
  if (!f.sameType) return 'a different type';
  if (!f.earlierStillOpen) return 'the earlier report was already closed';
  if (f.gapMs > windowDays * dayMs) return `more than ${windowDays} days apart`;
  if (f.distanceMeters === null) return f.sameAddress ? null : 'no coordinates, and a different address';
  if (f.distanceMeters > radiusMeters) return `more than ${radiusMeters} m apart`;
  return null;
}

/** Everything the sections print from. */
interface Study {
  file: string;
  cases: PastCase[];
  read: ReadResult;
  placeholders: ReturnType<typeof dropPlaceholderPoints>;
  decimals: number | null;
  record: DuplicateRecord;
  facts: PairFacts[];
  /** Recorded duplicates, whether or not their original is known. */
  duplicates: number;
}

function describeOutcome({ total }: Judged, study: Study): string {
  const inFile = study.facts.length;
  return (
    `${count(total.linked)} of ${count(study.duplicates)} recorded duplicates (${percent(total.linked, study.duplicates)}) join their original's work order ` +
    `(${percent(total.linked, inFile)} of the ${count(inFile)} whose original is in the file). ` +
    `False links: ${count(falseLinks(total))}: ${count(total.wrongWorkOrder)} recorded duplicates put with another problem, and ${count(total.nonDuplicatesLinked)} reports not closed as duplicates ` +
    `(${count(total.likelyUnrecorded)} of them at the very same point and closed within the hour of the work order's first report, so probably the same job). ` +
    `${count(total.unjudgedLinked)} recorded duplicates whose original is not in the file join some work order.`
  );
}

function fileSection({ file, cases, read, placeholders, decimals }: Study): string[] {
  const unplaced = cases.filter((c) => !hasPlace(c)).length;
  const stillOpen = cases.filter((c) => c.closedAt === Number.POSITIVE_INFINITY).length;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const { noId, noOpenTime, repeatedId } = read.skipped;
  return [
    `# Duplicate rules on past cases: ${basename(file)}`,
    '',
    `- ${count(cases.length)} cases of ${count(new Set(cases.map((c) => c.type)).size)} types, opened ${day(cases[0]!.openedAt)} to ${day(cases.at(-1)!.openedAt)}; ${count(stillOpen)} still open in the file.`,
    ...(noId + noOpenTime + repeatedId > 0 ? [`- Rows left out: ${count(noId)} without an id, ${count(noOpenTime)} without a readable opening time, ${count(repeatedId)} repeating an id.`] : []),
    `- ${count(unplaced)} cases (${percent(unplaced, cases.length)}) have no usable coordinates; for them, the same address text is the same place.`,
    ...placeholders.map((p) => `  - placeholder point ${p.point}: ${count(p.cases)} cases at ${count(p.addresses)} different addresses, taken as no coordinates.`),
    // Only worth saying when the rounding is coarse enough to blur the smaller radii.
    ...(decimals !== null && decimals <= 5
      ? [`- Coordinates are mostly written with ${decimals} decimals (about ${Math.round(metresPerDegree / 10 ** decimals)} m of latitude): closer than that, distances cannot be told apart.`]
      : []),
    '',
    'How the replay works: cases come in by opening time; a report joins the best open work order its rule finds ' +
      '(nearest first, then newest, as the duplicate search ranks them), as if a clerk always took the first suggestion, or opens its own. ' +
      "A work order stays open until its first report's case was closed, and its place and age are those of that first report.",
    '',
  ];
}

function recordSection({ record, facts, duplicates }: Study): string[] {
  const inFile = facts.length;
  return [
    '## Cases closed as duplicates',
    '',
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
    ...(record.citingSeveral
      ? [`${count(record.citingSeveral)} closure${record.citingSeveral === 1 ? ' names' : 's name'} more than one case; the first one the file holds is taken as the original.`, '']
      : []),
    'Only the pairs whose original is in the file can be checked; the other duplicates count as not linked in every total below.',
    '',
  ];
}

function pairSection({ facts }: Study): string[] {
  const inFile = facts.length;
  if (inFile === 0) return ['## The recorded pairs', '', 'No recorded duplicate names an original this file holds: there is no pair to check.', ''];
  const sameType = facts.filter((f) => f.sameType);
  const reversed = facts.filter((f) => f.originalCameLater).length;
  const stillOpen = facts.filter((f) => f.earlierStillOpen).length;
  const measured = facts.filter((f) => f.distanceMeters !== null);
  const unmeasured = facts.filter((f) => f.distanceMeters === null);
  const unmeasuredSameAddress = unmeasured.filter((f) => f.sameAddress).length;
  const distances = (list: PairFacts[]) => sorted(list.filter((f) => f.distanceMeters !== null).map((f) => f.distanceMeters!));
  const gaps = (list: PairFacts[]) => sorted(list.map((f) => f.gapMs));
  const row = (label: string, values: number[], format: (v: number) => string) => [`${label} (${count(values.length)})`, ...percentiles.map((p) => format(percentile(values, p)))];
  return [
    '## The recorded pairs (a duplicate and the original it names)',
    '',
    table(
      ['fact', 'pairs', 'share'],
      [
        ['same type', count(sameType.length), percent(sameType.length, inFile)],
        ['the original named was opened after the duplicate (staff kept the later report)', count(reversed), percent(reversed, inFile)],
        ['the earlier of the two was still open when the later came in', count(stillOpen), percent(stillOpen, inFile)],
        ['both have coordinates', count(measured.length), percent(measured.length, inFile)],
        ['either lacks coordinates', count(unmeasured.length), percent(unmeasured.length, inFile)],
        ['… of which at the same address text', count(unmeasuredSameAddress), percent(unmeasuredSameAddress, unmeasured.length)],
      ],
    ),
    '',
    table(
      ['percentile', ...percentiles.map((p) => `p${p}`)],
      [
        row('distance, all pairs', distances(facts), formatMeters),
        row('distance, same type', distances(sameType), formatMeters),
        row('time between the two, all pairs', gaps(facts), formatGap),
        row('time between the two, same type', gaps(sameType), formatGap),
      ],
    ),
    '',
  ];
}

function gridSection(study: Study): string[] {
  const { cases, record, duplicates } = study;
  const grid = gridRadiiMeters.map((r) => gridWindowDays.map((w) => judge(cases, record, replay(cases, sameTypeRule(r, w))).total));
  const matrix = (cell: (o: Outcome) => string) => table(['radius \\ window', ...gridWindowDays.map((w) => `${w} d`)], grid.map((row, ri) => [`${gridRadiiMeters[ri]} m`, ...row.map(cell)]));
  return [
    `## Rule "same type, within radius and window of the work order's first report, while it is open"`,
    '',
    `Recorded duplicates that join their original's work order (share of all ${count(duplicates)} recorded duplicates):`,
    '',
    matrix((o) => `${count(o.linked)} (${percent(o.linked, duplicates)})`),
    '',
    `False links (of all ${count(cases.length)} cases): recorded duplicates put with another problem + reports not closed as duplicates put into a work order; ` +
      'in brackets, how many of the latter were at the very same point and closed within the hour of the first report (probably the same job):',
    '',
    matrix((o) => `${count(o.wrongWorkOrder)} + ${count(o.nonDuplicatesLinked)} (${count(o.likelyUnrecorded)})`),
    '',
    'Staff did not mark every duplicate: many were closed together with their original without a word. ' +
      'False links are therefore an upper bound on the harm, and the recorded duplicates a lower bound on the real ones.',
    '',
  ];
}

function askedRuleSection(study: Study, radiusMeters: number, windowDays: number, run: Replay, outcome: Judged): string[] {
  const { facts } = study;
  const misses = new Map<string, number>();
  let passes = 0;
  let passedButApart = 0;
  let failedButTogether = 0;
  for (const f of facts) {
    const miss = pairMiss(f, radiusMeters, windowDays);
    const together = run.workOrderOf[f.pair.duplicate] === run.workOrderOf[f.pair.original];
    if (miss === null) {
      passes++;
      if (!together) passedButApart++;
    } else {
      misses.set(miss, (misses.get(miss) ?? 0) + 1);
      if (together) failedButTogether++;
    }
  }
  return [
    `## ${radiusMeters} m / ${windowDays} days, same type`,
    '',
    table(
      ['recorded pairs (original in the file), the later against the earlier', 'pairs', 'share'],
      [['meet the rule', count(passes), percent(passes, facts.length)], ...[...misses].sort((a, b) => b[1] - a[1]).map(([why, n]) => [`fail: ${why}`, count(n), percent(n, facts.length)])],
    ),
    '',
    `Replayed: ${describeOutcome(outcome, study)} ` +
      `(${count(passedButApart)} pairs that meet the rule end up apart, and ${count(failedButTogether)} that fail it end up together, because a report joins ` +
      "the work order's first report, not the report it was recorded against.)",
    '',
  ];
}

function shippedSection(study: Study, hierarchyDir: string, hierarchy: CityHierarchy, shipped: Map<string, Shipped>, outcome: Judged): string[] {
  const { cases, duplicates } = study;
  const types = [...new Set(cases.map((c) => c.type))];
  const mappedCases = cases.filter((c) => shipped.has(c.type)).length;
  const mappedDuplicates = cases.filter((c) => c.duplicate && shipped.has(c.type)).length;
  const ruled = cases.filter((c) => c.duplicate && shipped.get(c.type)?.rule).length;
  const byAnswer = [...new Set([...shipped.values()].filter((s) => s.rule?.matchAttribute).map((s) => `${s.code} (${s.rule!.matchAttribute})`))];
  const ambiguous = [...shipped].filter(([, s]) => s.alsoMatched.length);
  const unmapped = types.filter((t) => !shipped.has(t)).sort();
  const unmappedDuplicates = cases.filter((c) => c.duplicate && !shipped.has(c.type)).length;
  return [
    `## The rules of ${basename(hierarchyDir)} (${hierarchy.city.name})`,
    '',
    `- ${count(shipped.size)} of ${count(types.length)} types map to a problem code (${(['name', 'synonym', 'keyword'] as const).map((by) => `${count([...shipped.values()].filter((s) => s.matchedBy === by).length)} by ${by}`).join(', ')}): ` +
      `${count(mappedCases)} cases (${percent(mappedCases, cases.length)}) and ${count(mappedDuplicates)} of the ${count(duplicates)} recorded duplicates. ` +
      `${count(ruled)} recorded duplicates are of a type whose code has a duplicate rule.`,
    ...(ambiguous.length ? [`- Types matching several codes equally (the first is used): ${ambiguous.map(([t, s]) => `${t} → ${s.code} (also ${s.alsoMatched.join(', ')})`).join('; ')}.`] : []),
    ...(byAnswer.length
      ? [`- Codes that also match on an answer: ${byAnswer.join(', ')}. The file has no answers, so place and time decide alone, which links at least as much as these rules would.`]
      : []),
    ...(unmapped.length ? [`- Not mapped, so never linked here (${count(unmappedDuplicates)} recorded duplicates): ${unmapped.join('; ')}.`] : []),
    '',
    `**${describeOutcome(outcome, study)}**`,
    '',
  ];
}

function typeSection(study: Study, shipped: Map<string, Shipped>, shippedOutcome: Judged, radiusMeters: number, windowDays: number, asked: Judged): string[] {
  const { cases, facts } = study;
  const casesOfType = new Map<string, number>();
  const duplicatesOfType = new Map<string, number>();
  for (const c of cases) {
    casesOfType.set(c.type, (casesOfType.get(c.type) ?? 0) + 1);
    if (c.duplicate) duplicatesOfType.set(c.type, (duplicatesOfType.get(c.type) ?? 0) + 1);
  }
  const factsOfType = new Map<string, PairFacts[]>();
  for (const f of facts) {
    const type = cases[f.pair.duplicate]!.type;
    const list = factsOfType.get(type);
    if (list) list.push(f);
    else factsOfType.set(type, [f]);
  }
  const linkedAndFalse = (o: Outcome | undefined) => (o ? `${count(o.linked)} / ${count(falseLinks(o))} (${count(o.likelyUnrecorded)})` : '0 / 0 (0)');
  const rows = [...duplicatesOfType]
    .filter(([, n]) => n >= typeRowMinDuplicates)
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => {
      const all = factsOfType.get(type) ?? [];
      const same = all.filter((f) => f.sameType);
      const distances = sorted(same.filter((f) => f.distanceMeters !== null).map((f) => f.distanceMeters!));
      const gaps = sorted(same.map((f) => f.gapMs));
      const s = shipped.get(type);
      return [
        type,
        count(casesOfType.get(type)!),
        `${count(n)} (${count(all.length)})`,
        percent(same.length, all.length),
        percent(same.filter((f) => f.earlierStillOpen).length, same.length),
        `${formatMeters(percentile(distances, 50))} / ${formatMeters(percentile(distances, 90))}`,
        `${formatGap(percentile(gaps, 50))} / ${formatGap(percentile(gaps, 90))}`,
        s ? `${s.code}: ${describeRule(s.rule)}` : 'not mapped',
        linkedAndFalse(shippedOutcome.byType.get(type)),
        linkedAndFalse(asked.byType.get(type)),
      ];
    });
  const heading = `## By type (types with at least ${typeRowMinDuplicates} recorded duplicates)`;
  if (rows.length === 0) return [heading, '', 'No type has that many.', ''];
  return [
    heading,
    '',
    table(
      [
        'type',
        'cases',
        'recorded duplicates (original in file)',
        'same type',
        'earlier still open',
        'distance p50 / p90',
        'time apart p50 / p90',
        'shipped code: rule',
        'shipped: linked / false (probably same job)',
        `${radiusMeters} m / ${windowDays} d: linked / false (probably same job)`,
      ],
      rows,
    ),
    '',
    'Open share, distances and times are over the same-type pairs. False links count on the type of the report linked.',
    '',
  ];
}

// ---------------------------------------------------------------------------------------------
// Command line

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
  if (values.radius.trim() === '' || !Number.isFinite(radiusMeters) || radiusMeters < 0) throw new UsageError('--radius must be a number of metres, 0 or more');
  if (values.window.trim() === '' || !Number.isFinite(windowDays) || windowDays <= 0) throw new UsageError('--window must be a number of days, more than 0');
  return { file: positionals[0]!, radiusMeters, windowDays, hierarchyDir: values.hierarchy };
}

/** What to tell the user when the file cannot be read (missing, not gzip, broken CSV); null for a bug. */
function readFailure(error: unknown): string | null {
  if (error instanceof InputError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code.startsWith('Z_')) return `its name ends in .gz, but it is not gzip data or the gzip data is broken (${(error as Error).message})`;
  if (/^(ENOENT|EACCES|EISDIR|CSV_)/.test(code)) return (error as Error).message;
  return null;
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
  const { file, radiusMeters, windowDays, hierarchyDir } = options;

  const { hierarchy, problems } = readCityFolder(hierarchyDir);
  if (!hierarchy) {
    for (const p of problems) console.error(`${p.file}: ${p.path}: ${p.message}`);
    console.error(`The city folder ${hierarchyDir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; its rules cannot be evaluated.`);
    return 1;
  }

  let read: ReadResult;
  try {
    read = await readCases(file);
  } catch (error) {
    const message = readFailure(error);
    if (message === null) throw error;
    console.error(`${file} cannot be used: ${message}`);
    return 1;
  }
  if (read.cases.length === 0) {
    console.error(`${file} holds no case with an id and an opening time.`);
    return 1;
  }
  const placeholders = dropPlaceholderPoints(read.cases, read.pointText);
  // Intake sees reports in the order they arrive; equal times keep the file's order.
  const cases = read.cases.map((c, i) => ({ c, i })).sort((a, b) => a.c.openedAt - b.c.openedAt || a.i - b.i).map(({ c }) => c);
  const record = recordedDuplicates(cases);
  const study: Study = {
    file,
    cases,
    read,
    placeholders,
    decimals: usualDecimals(read.pointText),
    record,
    facts: pairFacts(cases, record.pairs),
    duplicates: cases.filter((c) => c.duplicate).length,
  };
  const shipped = shippedRulesByType(hierarchy, [...new Set(cases.map((c) => c.type))]);
  const shippedOutcome = judge(cases, record, replay(cases, shippedRules(shipped)));
  const askedRun = replay(cases, sameTypeRule(radiusMeters, windowDays));
  const askedOutcome = judge(cases, record, askedRun);

  const lines = [
    ...fileSection(study),
    ...recordSection(study),
    ...pairSection(study),
    ...gridSection(study),
    ...askedRuleSection(study, radiusMeters, windowDays, askedRun, askedOutcome),
    ...shippedSection(study, hierarchyDir, hierarchy, shipped, shippedOutcome),
    ...typeSection(study, shipped, shippedOutcome, radiusMeters, windowDays, askedOutcome),
  ];
  console.log(lines.join('\n'));
  return 0;
}

process.exitCode = await main();
