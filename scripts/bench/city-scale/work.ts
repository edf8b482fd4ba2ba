// A generated city's work for the benchmarks (duplicate search, the city-scale run): an address registry
// clustered around Boston's neighbourhoods (water and large parks have none), work orders over the
// hierarchy's problem codes (inserted normally, so the migration's triggers fill the R*Tree
// work_order_area), their callers' customer requests, and information requests, comments and unfiled
// action requests besides — how many of each, how common each code and channel is, is the `WorkShape`.
// Rows go in with raw prepared statements in large transactions.
import type { Db } from '../../../db/connection.ts';
import type { Channel } from '../../../db/schema/intake.ts';
import type { DuplicateRule, Settings } from '../../../server/hierarchy/files.ts';
import { getNode } from '../../../server/hierarchy/service.ts';
import { greatCircleMeters, matchValueOf } from '../../../server/work-orders/duplicates.ts';
import { neighbourhoods, progress, type Rng } from '../lib.ts';

export const DAY = 86_400_000;
export const MINUTE = 60_000;
export const iso = (t: number) => new Date(t).toISOString();
const BATCH = 50_000;

/** How much of what the generated city holds, and how it is spread. */
export interface WorkShape {
  /** The city's "now" (ms): everything is generated back from it. */
  now: number;
  years: number;
  addresses: number;
  openWorkOrders: number;
  closedWorkOrders: number;
  requests: number;
  /** By problem code; a district copy's code (X_D07) weighs as X. */
  codeWeights: Record<string, number>;
  otherCodeWeight: number;
  channelWeights: Partial<Record<Channel, number>>;
  /** Weight of a work order having 1, 2, 3 … callers. */
  callerWeights: number[];
  /** Requests not on a work order: shares of information requests and comments (the rest are unfiled action requests). */
  otherKinds: { information: number; comment: number };
  /** When in the day reports come (weights by local hour 0–23); without it, any time alike. */
  hourOfDay?: { weights: number[]; utcOffsetHours: number };
}

/** The sample city's code a district copy (X_D07) was made from. */
const baseCode = (code: string) => code.replace(/_D\d{2}$/, '');

export interface Code {
  index: number;
  id: number;
  code: string;
  name: string;
  categoryId: number;
  providerId: number;
  departmentId: number;
  classification: string;
  workType: string;
  priority: string;
  tasks: string;
  permanentHours: number;
  temporaryHours: number | undefined;
  rule: DuplicateRule | null;
  weight: number;
}

export const box = { minLat: 42.23, maxLat: 42.4, minLon: -71.19, maxLon: -70.99 };
const metresPerDegreeLat = 111_195;
const metresPerDegreeLon = (lat: number) => metresPerDegreeLat * Math.cos((lat * Math.PI) / 180);

/** Where people live and report: Boston's neighbourhoods (centre, weight, spread in metres). */
export const clusters = [
  { name: 'Downtown', lat: 42.3555, lon: -71.0605, weight: 10, sigma: 600 },
  { name: 'Back Bay', lat: 42.3503, lon: -71.081, weight: 8, sigma: 600 },
  { name: 'South End', lat: 42.3388, lon: -71.0765, weight: 8, sigma: 600 },
  { name: 'North End', lat: 42.3647, lon: -71.0542, weight: 5, sigma: 350 },
  { name: 'Beacon Hill', lat: 42.3588, lon: -71.0707, weight: 4, sigma: 350 },
  { name: 'West End', lat: 42.364, lon: -71.066, weight: 2, sigma: 300 },
  { name: 'Chinatown', lat: 42.3493, lon: -71.0623, weight: 3, sigma: 300 },
  { name: 'Fenway', lat: 42.3429, lon: -71.1003, weight: 6, sigma: 600 },
  { name: 'Mission Hill', lat: 42.3324, lon: -71.1048, weight: 4, sigma: 500 },
  { name: 'Allston', lat: 42.3539, lon: -71.1337, weight: 6, sigma: 800 },
  { name: 'Brighton', lat: 42.3464, lon: -71.1627, weight: 7, sigma: 900 },
  { name: 'Charlestown', lat: 42.3782, lon: -71.0602, weight: 4, sigma: 600 },
  { name: 'East Boston', lat: 42.3702, lon: -71.0389, weight: 7, sigma: 900 },
  { name: 'South Boston', lat: 42.3381, lon: -71.0476, weight: 7, sigma: 800 },
  { name: 'Roxbury', lat: 42.3152, lon: -71.0914, weight: 9, sigma: 1000 },
  { name: 'Dorchester', lat: 42.3016, lon: -71.0676, weight: 14, sigma: 1500 },
  { name: 'Mattapan', lat: 42.2771, lon: -71.0914, weight: 7, sigma: 1000 },
  { name: 'Jamaica Plain', lat: 42.3097, lon: -71.1151, weight: 8, sigma: 1000 },
  { name: 'Roslindale', lat: 42.2832, lon: -71.127, weight: 6, sigma: 900 },
  { name: 'West Roxbury', lat: 42.2798, lon: -71.1627, weight: 6, sigma: 1200 },
  { name: 'Hyde Park', lat: 42.2565, lon: -71.1241, weight: 7, sigma: 1200 },
];
/** Share of addresses spread evenly over the box instead of around a neighbourhood. */
export const background = 0.15;

/** Where nobody reports anything: the harbour and the large parks (circles: centre, radius in metres). */
export const emptyZones = [
  { name: 'Dorchester Bay and the harbour', lat: 42.318, lon: -71.012, r: 1800 },
  { name: 'Franklin Park', lat: 42.3035, lon: -71.092, r: 700 },
  { name: 'Arnold Arboretum', lat: 42.2985, lon: -71.1235, r: 600 },
  { name: 'Stony Brook Reservation', lat: 42.256, lon: -71.14, r: 1100 },
  { name: 'Jamaica Pond', lat: 42.316, lon: -71.121, r: 350 },
];

export const metresBetween = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => greatCircleMeters(a.lat, a.lon, b.lat, b.lon);
const inBox = (p: { lat: number; lon: number }) => p.lat >= box.minLat && p.lat <= box.maxLat && p.lon >= box.minLon && p.lon <= box.maxLon;
const inEmptyZone = (p: { lat: number; lon: number }) => emptyZones.some((z) => metresBetween(p, z) <= z.r);

const streets = [
  'Centre St', 'Washington St', 'Dorchester Ave', 'Blue Hill Ave', 'Tremont St', 'Commonwealth Ave', 'Beacon St', 'Massachusetts Ave', 'Columbia Rd',
  'Hyde Park Ave', 'Cambridge St', 'Boylston St', 'Hanover St', 'Bennington St', 'Broadway', 'Adams St', 'Warren St', 'American Legion Hwy',
  'South St', 'Brighton Ave', 'Harvard Ave', 'River St', 'Cummins Hwy', 'Morton St', 'Gallivan Blvd', 'Meridian St', 'Bunker Hill St', 'Shawmut Ave',
];

export interface Addresses {
  lat: Float64Array;
  lon: Float64Array;
}

/** Address `a` of the registry (id a + 1): a unique number and street, and its neighbourhood's postcode. */
const addressNumber = (a: number) => String(1 + Math.floor(a / streets.length));
const addressStreet = (a: number) => streets[a % streets.length]!;
const addressPostcode = (a: number) => `021${String(10 + (a % neighbourhoods.length)).padStart(2, '0')}`;
/** As intake writes a registry address into location_text. */
export const addressText = (a: number) => `${addressNumber(a)} ${addressStreet(a)}, ${addressPostcode(a)}`;
/** Each address has a street light (and a parking meter) whose number callers read off the pole. */
export const poleAt = (a: number) => String(10_000 + ((a * 104_729) % 890_000));


const openStatuses = ['new', 'assigned', 'in_progress', 'on_hold'] as const;
const crews = ['Crew 1 (North)', 'Crew 2 (South)', 'Crew 3 (East)', 'Crew 4 (West)', 'Night crew', 'Contractor'];
/** The work orders, in the order they were created (id = index + 1). */
export interface WorkOrders {
  n: number;
  code: Uint16Array;
  address: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  created: Float64Array;
  /** When it closed; NaN while open. */
  closed: Float64Array;
  open: Uint8Array;
  matchValue: (string | null)[];
}

export type RequestStatus = 'open' | 'ready' | 'in_progress' | 'awaiting_reply' | 'closed' | 'cancelled';
const KIND_LINKED = 0;
const KIND_UNLINKED_ACTION = 1;
const KIND_INFORMATION = 2;
const KIND_COMMENT = 3;

/** The generators, drawing from `rng` in a fixed order: the same seed and shape, the same city. */
export function cityWork(rng: Rng, shape: WorkShape) {
  const { random, int, pick } = rng;
  const now = shape.now;
  const HOUR = 3_600_000;
  const hourly = shape.hourOfDay;
  const pickHour = hourly ? weighted(hourly.weights.map((_, h) => h), (h) => hourly.weights[h]!) : null;
  /** `t` moved within its own (local) day to an hour drawn from the hour-of-day weights; never past now. */
  const atHourOfDay = (t: number) => {
    if (!pickHour || !hourly) return t;
    const offset = hourly.utcOffsetHours * HOUR;
    const day = Math.floor((t + offset) / DAY) * DAY;
    return Math.min(now - 2 * MINUTE, day + pickHour() * HOUR + random() * HOUR - offset);
  };

  function problemCodes(db: Db): Code[] {
    const rows = db.$client.prepare(`SELECT id, code, parent_id AS parentId FROM hierarchy_nodes WHERE level = 'problem_code' AND status = 'active' ORDER BY id`).all() as { id: number; code: string; parentId: number }[];
    const providerStmt = db.$client.prepare('SELECT id, parent_id AS parentId FROM hierarchy_nodes WHERE code = ?');
    return rows.map((row, index) => {
      const node = getNode(db, row.code);
      const resolved = node.resolved!.value as { standardWorkOrder: { workType: string; priority: string; tasks: string[]; provider: string }; turnaround: Settings['turnaround'] | null; duplicateRule: DuplicateRule | null };
      const provider = providerStmt.get(resolved.standardWorkOrder.provider) as { id: number; parentId: number } | undefined;
      if (!provider) throw new Error(`${row.code}: its standard work order names no provider (${resolved.standardWorkOrder.provider})`);
      const classification = { code: row.code, name: node.name, path: node.path.map((p) => ({ level: p.level, code: p.code, name: p.name })) };
      return {
        index,
        id: row.id,
        code: row.code,
        name: node.name,
        categoryId: row.parentId,
        providerId: provider.id,
        departmentId: provider.parentId,
        classification: JSON.stringify(classification),
        workType: resolved.standardWorkOrder.workType,
        priority: resolved.standardWorkOrder.priority,
        tasks: JSON.stringify(resolved.standardWorkOrder.tasks.map((text) => ({ text, done: false, doneAt: null, doneBy: null }))),
        permanentHours: resolved.turnaround?.permanentHours ?? 72,
        temporaryHours: resolved.turnaround?.temporaryHours,
        rule: resolved.duplicateRule,
        weight: shape.codeWeights[baseCode(row.code)] ?? shape.otherCodeWeight,
      };
    });
  }

  /** Draws from `items` in proportion to `weightOf`. */
  function weighted<T>(items: T[], weightOf: (item: T) => number): () => T {
    const cumulative: number[] = [];
    let total = 0;
    for (const item of items) cumulative.push((total += weightOf(item)));
    return () => {
      const r = random() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return items[lo]!;
    };
  }

  function gaussian(): number {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }

  /** A point `metres` away from (lat, lon) in a random direction. */
  function offset(lat: number, lon: number, metres: number): { lat: number; lon: number } {
    const bearing = 2 * Math.PI * random();
    return { lat: lat + (metres * Math.cos(bearing)) / metresPerDegreeLat, lon: lon + (metres * Math.sin(bearing)) / metresPerDegreeLon(lat) };
  }

  const pickCluster = weighted(clusters, (c) => c.weight);
  function addressPoint(): { lat: number; lon: number } {
    for (;;) {
      let p: { lat: number; lon: number };
      if (random() < background) p = { lat: box.minLat + random() * (box.maxLat - box.minLat), lon: box.minLon + random() * (box.maxLon - box.minLon) };
      else {
        const c = pickCluster();
        p = { lat: c.lat + (gaussian() * c.sigma) / metresPerDegreeLat, lon: c.lon + (gaussian() * c.sigma) / metresPerDegreeLon(c.lat) };
      }
      // Six decimals, as a geocoder gives them.
      p = { lat: Math.round(p.lat * 1e6) / 1e6, lon: Math.round(p.lon * 1e6) / 1e6 };
      if (inBox(p) && !inEmptyZone(p)) return p;
    }
  }

  function emptyZonePoint(): { lat: number; lon: number } {
    for (;;) {
      const z = pick(emptyZones);
      const p = offset(z.lat, z.lon, z.r * Math.sqrt(random()));
      if (inBox(p)) return p;
    }
  }

  function generateAddresses(n: number): Addresses {
    const lat = new Float64Array(n);
    const lon = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = addressPoint();
      lat[i] = p.lat;
      lon[i] = p.lon;
    }
    return { lat, lon };
  }
  const channels = Object.keys(shape.channelWeights) as Channel[];
  const pickChannel = weighted(channels, (c) => shape.channelWeights[c]!);
  const pickCallers = weighted(shape.callerWeights.map((_, k) => k + 1), (k) => shape.callerWeights[k - 1]!);

  /** The first instant of each year in the city's time zone, for numbers like 2026-004217. */
  function yearOf(timeZone: string): (t: number) => number {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' });
    const starts: [number, number][] = [];
    const first = new Date(now - (shape.years + 1) * 366 * DAY).getUTCFullYear();
    for (let y = first; y <= new Date(now).getUTCFullYear() + 1; y++) {
      let t = Date.UTC(y, 0, 1) - 15 * 3_600_000;
      while (Number(format.format(t)) < y) t += 15 * MINUTE;
      starts.unshift([y, t]);
    }
    return (t) => starts.find(([, start]) => t >= start)![0];
  }

  /** Age of an open work order: mostly recent, with a backlog reaching five years back. */
  const openAge = () => (random() < 0.7 ? Math.min(shape.years * 365 * DAY, -Math.log(1 - random()) * 40 * DAY) : random() * shape.years * 365 * DAY);

  function generateWorkOrders(codes: Code[], addresses: Addresses): WorkOrders {
    const n = shape.openWorkOrders + shape.closedWorkOrders;
    const start = now - shape.years * 365 * DAY;
    // Creation times first, sorted, so ids and numbers run in time order as they would in production.
    const created = new Float64Array(n);
    const closedAt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (i < shape.openWorkOrders) {
        created[i] = atHourOfDay(now - MINUTE - openAge());
        closedAt[i] = NaN;
      } else {
        created[i] = atHourOfDay(start + random() * (now - start - 2 * DAY));
        closedAt[i] = Math.min(now - MINUTE, created[i]! + MINUTE + -Math.log(1 - random()) * 6 * DAY);
      }
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => created[a]! - created[b]!);
    const pickCode = weighted(codes, (c) => c.weight);
    const wo: WorkOrders = {
      n,
      code: new Uint16Array(n),
      address: new Int32Array(n),
      lat: new Float64Array(n),
      lon: new Float64Array(n),
      created: new Float64Array(n),
      closed: new Float64Array(n),
      open: new Uint8Array(n),
      matchValue: new Array<string | null>(n).fill(null),
    };
    order.forEach((src, i) => {
      const code = pickCode();
      const a = int(shape.addresses);
      wo.code[i] = code.index;
      wo.address[i] = a;
      wo.created[i] = Math.round(created[src]!);
      wo.closed[i] = Number.isNaN(closedAt[src]!) ? NaN : Math.round(closedAt[src]!);
      wo.open[i] = Number.isNaN(closedAt[src]!) ? 1 : 0;
      // A pothole is somewhere in the street in front of the address; a bulk pickup or a container is at it.
      const exact = code.rule !== null && code.rule.radiusMeters === 0;
      const p = exact ? { lat: addresses.lat[a]!, lon: addresses.lon[a]! } : offset(addresses.lat[a]!, addresses.lon[a]!, random() * 15);
      wo.lat[i] = p.lat;
      wo.lon[i] = p.lon;
      if (code.rule?.matchAttribute && random() < 0.8) wo.matchValue[i] = matchValueOf(code.rule, { [code.rule.matchAttribute]: poleAt(a) });
    });
    return wo;
  }

  /** The address registry (no typeahead index: duplicate search does not read it). */
  function insertAddresses(db: Db, addresses: Addresses): void {
    const insert = db.$client.prepare(`INSERT INTO addresses (id, number, street, city, district, region, postcode, latitude, longitude, created_at, updated_at)
      VALUES (?, ?, ?, 'Boston', ?, 'MA', ?, ?, ?, ?, ?)`);
    const at = iso(now - shape.years * 365 * DAY);
    db.$client.transaction(() => {
      for (let a = 0; a < shape.addresses; a++) insert.run(a + 1, addressNumber(a), addressStreet(a), neighbourhoods[a % neighbourhoods.length]!, addressPostcode(a), addresses.lat[a]!, addresses.lon[a]!, at, at);
    })();
  }

  function insertWorkOrders(db: Db, codes: Code[], wo: WorkOrders, yearAt: (t: number) => number): Map<number, number> {
    const insert = db.$client.prepare(`INSERT INTO work_orders (id, number, problem_code_id, category_id, provider_id, department_id, classification, work_type, priority,
        status, assignee, tasks, description, address_id, location_text, latitude, longitude, match_value, temporary_due_at, due_at, resolution, created_at, updated_at, closed_at, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const sequence = new Map<number, number>();
    const bar = progress('work orders', wo.n);
    for (let from = 0; from < wo.n; from += BATCH) {
      db.$client.transaction(() => {
        for (let i = from; i < Math.min(wo.n, from + BATCH); i++) {
          const code = codes[wo.code[i]!]!;
          const created = wo.created[i]!;
          const year = yearAt(created);
          const seq = (sequence.get(year) ?? 0) + 1;
          sequence.set(year, seq);
          const open = wo.open[i] === 1;
          const status = open ? pick(openStatuses) : random() < 0.9 ? 'completed' : 'cancelled';
          const closed = open ? null : iso(wo.closed[i]!);
          insert.run(
            i + 1,
            `W${year}-${String(seq).padStart(6, '0')}`,
            code.id,
            code.categoryId,
            code.providerId,
            code.departmentId,
            code.classification,
            code.workType,
            code.priority,
            status,
            status === 'new' ? '' : pick(crews),
            code.tasks,
            '',
            wo.address[i]! + 1,
            addressText(wo.address[i]!),
            wo.lat[i]!,
            wo.lon[i]!,
            wo.matchValue[i]!,
            code.temporaryHours === undefined ? null : iso(created + code.temporaryHours * 3_600_000),
            iso(created + code.permanentHours * 3_600_000),
            status === 'completed' ? 'The crew fixed it.' : status === 'cancelled' ? 'Nothing found at the location.' : '',
            iso(created),
            closed ?? iso(created + Math.min(now - created, random() * 2 * DAY)),
            closed,
            open ? 1 + int(3) : 2 + int(4),
          );
          bar.tick();
        }
      })();
    }
    bar.done();
    return sequence;
  }

  /** The requests: every work order's callers (1–5), then information requests, comments and unfiled action requests. */
  function generateRequests(wo: WorkOrders) {
    const callers = new Uint8Array(wo.n);
    let linked = 0;
    for (let i = 0; i < wo.n; i++) linked += callers[i] = pickCallers();
    // A small run may have fewer requests than callers: each work order keeps its first.
    while (linked > shape.requests) {
      const i = int(wo.n);
      if (callers[i]! > 1) {
        callers[i]!--;
        linked--;
      }
    }
    const n = shape.requests;
    const started = new Float64Array(n);
    const workOrder = new Int32Array(n).fill(-1);
    const kind = new Uint8Array(n);
    let r = 0;
    for (let i = 0; i < wo.n; i++) {
      const end = Number.isNaN(wo.closed[i]!) ? now : wo.closed[i]!;
      for (let k = 0; k < callers[i]!; k++) {
        // The first caller's report made the work order a few minutes later; the others came while it was open.
        started[r] = k === 0 ? wo.created[i]! - MINUTE * (1 + int(10)) : wo.created[i]! + random() * (end - wo.created[i]!);
        workOrder[r] = i;
        kind[r] = KIND_LINKED;
        r++;
      }
    }
    const start = now - shape.years * 365 * DAY;
    for (; r < n; r++) {
      const x = random();
      kind[r] = x < shape.otherKinds.information ? KIND_INFORMATION : x < shape.otherKinds.information + shape.otherKinds.comment ? KIND_COMMENT : KIND_UNLINKED_ACTION;
      // Unfiled action requests are being taken now (open, ready) or were cancelled at any time.
      started[r] = kind[r] === KIND_UNLINKED_ACTION && random() < 0.2 ? now - random() * DAY : atHourOfDay(start + random() * (now - start - MINUTE));
    }
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => started[a]! - started[b]!);
    return { n, linked, started, workOrder, kind, order };
  }

  function insertRequests(db: Db, codes: Code[], addresses: Addresses, wo: WorkOrders, rq: ReturnType<typeof generateRequests>, yearAt: (t: number) => number): { sequence: Map<number, number>; interactions: number } {
    const client = db.$client;
    const insertInteraction = client.prepare('INSERT INTO interactions (channel, clerk_id, started_at) VALUES (?, NULL, ?)');
    const insert = client.prepare(`INSERT INTO customer_requests (number, interaction_id, channel, source, type, status, description, answer, resolved_at_first_contact,
        problem_code_id, classification, answers, address_id, location_text, latitude, longitude, work_order_id, promised_at, resolution, comment_kind,
        started_at, ended_at, closed_at, updated_at, version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const pickCode = weighted(codes, (c) => c.weight);
    const sequence = new Map<number, number>();
    let interactionId = 0;
    let interactions = 0;
    let channel: string = 'phone';
    const bar = progress('customer requests', rq.n);
    for (let from = 0; from < rq.n; from += BATCH) {
      client.transaction(() => {
        for (let j = from; j < Math.min(rq.n, from + BATCH); j++) {
          bar.tick();
          const r = rq.order[j]!;
          const started = rq.started[r]!;
          // One call in twelve is about a second problem: the same interaction, the same channel.
          if (interactionId === 0 || random() >= 1 / 12) {
            channel = pickChannel();
            interactionId = Number(insertInteraction.run(channel, iso(started)).lastInsertRowid);
            interactions++;
          }
          const year = yearAt(started);
          const seq = (sequence.get(year) ?? 0) + 1;
          sequence.set(year, seq);
          const number = `${year}-${String(seq).padStart(6, '0')}`;
          const ended = started + MINUTE * (2 + random() * 6);
          const source = channel === 'open311' ? 'BOS:311 partner' : channel === 'web' || channel === 'mobile_app' ? 'portal' : '';
          const kind = rq.kind[r]!;
          if (kind === KIND_INFORMATION || kind === KIND_COMMENT) {
            const comment = kind === KIND_COMMENT;
            const status = comment && random() < 0.1 ? 'awaiting_reply' : 'closed';
            insert.run(number, interactionId, channel, source, comment ? 'comment' : 'information', status, comment ? 'Thank you to the crew on my street.' : 'When is trash day on my street?',
              comment ? '' : 'Trash is collected on the day shown at boston.gov/trash-day.', comment ? null : 1, null, null, '{}', null, '', null, null, null, null, '',
              comment ? pick(['compliment', 'complaint', 'suggestion', 'other']) : null, iso(started), iso(ended), status === 'closed' ? iso(ended) : null, iso(ended), 2);
            continue;
          }
          let code: Code;
          let lat: number;
          let lon: number;
          let a: number;
          let workOrderId: number | null = null;
          let promised: string | null = null;
          let status: RequestStatus;
          let closed: string | null = null;
          let resolution = '';
          let answers = '{}';
          if (kind === KIND_LINKED) {
            const w = rq.workOrder[r]!;
            code = codes[wo.code[w]!]!;
            a = wo.address[w]!;
            // Callers stand at slightly different spots; a bulk pickup is booked at the address itself.
            const p = code.rule?.radiusMeters === 0 ? { lat: wo.lat[w]!, lon: wo.lon[w]! } : offset(wo.lat[w]!, wo.lon[w]!, random() * Math.min(10, code.rule?.radiusMeters ?? 10));
            lat = p.lat;
            lon = p.lon;
            workOrderId = w + 1;
            promised = iso(wo.created[w]! + code.permanentHours * 3_600_000);
            const cancelled = random() < 0.02;
            if (wo.open[w] === 1) status = cancelled ? 'cancelled' : 'in_progress';
            else {
              status = cancelled ? 'cancelled' : 'closed';
              closed = iso(Math.max(ended, wo.closed[w]!));
              resolution = cancelled ? '' : 'The crew fixed it.';
            }
            const matchValue = wo.matchValue[w];
            if (code.rule?.matchAttribute && matchValue) answers = JSON.stringify({ [code.rule.matchAttribute]: matchValue });
          } else {
            code = pickCode();
            a = int(shape.addresses);
            const p = offset(addresses.lat[a]!, addresses.lon[a]!, random() * 15);
            lat = p.lat;
            lon = p.lon;
            const recent = now - started < DAY;
            status = recent ? (random() < 0.5 ? 'open' : 'ready') : 'cancelled';
            if (status === 'cancelled') closed = iso(ended);
          }
          insert.run(number, interactionId, channel, source, 'action', status, `${code.name} at ${addressText(a)}`, '', null, code.id, code.classification, answers,
            a + 1, addressText(a), lat, lon, workOrderId, promised, resolution, null, iso(started), iso(ended), closed, closed ?? iso(ended), workOrderId === null ? 1 : 3);
        }
      })();
    }
    bar.done();
    return { sequence, interactions };
  }

  return { problemCodes, weighted, offset, emptyZonePoint, generateAddresses, yearOf, generateWorkOrders, insertAddresses, insertWorkOrders, generateRequests, insertRequests };
}
