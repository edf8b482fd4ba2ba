// The read side of Open311 GeoReport v2 over OneWindow's own records: the public problem codes as
// services, their questions as service definitions, and action requests as service requests, with the
// specification's arguments and rules (the 90-day window, the 1,000-request cap, service_request_id
// overriding every filter) and the common extensions (page/page_size, updated_after/updated_before,
// extensions=true). Arguments are read here, every wrong one named at once, so any client gets the
// same answer; the routes only turn these values into JSON or XML.
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { addresses } from '../../db/schema/addresses.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { cityProfile, hierarchyNodes } from '../../db/schema/hierarchy.ts';
import { customerRequests, type Channel, type RequestStatus } from '../../db/schema/intake.ts';
import { workOrders, type WorkOrderStatus } from '../../db/schema/work-orders.ts';
import { assertNoProblems, DomainError, type FieldProblem } from '../errors.ts';
import { hierarchyGeneration } from '../hierarchy/generation.ts';
import { resolveSettings, type CityFile, type ProblemCodeFile, type Question, type Settings } from '../hierarchy/files.ts';
import { foldTerm } from '../search/fold.ts';

type Reader = Pick<Db, 'select' | 'all' | 'get' | '$client'>;
type NodeRow = typeof hierarchyNodes.$inferSelect;

export const specification = 'http://wiki.open311.org/GeoReport_v2';
/** OneWindow saves a request the moment it arrives and knows its number at once: POST answers with it. */
export const serviceType = 'realtime';
/** The specification's cap: "90 days or first 1000 requests returned, whichever is smallest". */
export const maxRequests = 1000;
const windowMs = 90 * 86_400_000;

/** Times as the specification writes them (w3 format, UTC), without the milliseconds we store. */
export const w3 = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// Jurisdiction

function cityOf(db: Reader): CityFile | undefined {
  return db.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get()?.value as CityFile | undefined;
}

/** The configured jurisdiction_id, or else the city's name as a slug ("Sample City" → sample-city). */
export function jurisdictionOf(db: Reader, configured: string | undefined): string | null {
  if (configured) return configured;
  const city = cityOf(db);
  const slug = city ? foldTerm(city.name).replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') : '';
  return slug === '' ? null : slug;
}

/** One endpoint serves one jurisdiction, so jurisdiction_id is optional; when given it must be ours. */
export function assertJurisdiction(db: Reader, configured: string | undefined, given: string | undefined): void {
  if (given === undefined) return;
  const ours = jurisdictionOf(db, configured);
  if (ours === null || given.trim().toLowerCase() !== ours.toLowerCase()) {
    const serves = ours === null ? 'no jurisdiction is set up yet' : `this endpoint serves ${ours}`;
    throw new DomainError('NOT_FOUND', `jurisdiction_id ${given} was not found: ${serves}.`, [{ field: 'jurisdiction_id', message: `${given} was not found: ${serves}` }]);
  }
}

// ---------------------------------------------------------------------------------------------
// The catalogue: every problem code with what it inherits, read in one query

interface CodeEntry {
  id: number;
  code: string;
  name: string;
  description: string;
  /** Active, and every level above it too. */
  active: boolean;
  /** The resolved `public` setting: whether residents and partners see the code and its requests. */
  public: boolean;
  /** The service category's name: the specification's group ("sanitation"). */
  group: string;
  /** The provider the code's standard work order sends work to. */
  agency: string;
  /** In the order they are presented (the `order` field). */
  questions: Question[];
  keywords: string[];
}

interface Catalogue {
  /** In the tree's order: department, provider, category, code, each by position. */
  codes: CodeEntry[];
  byId: Map<number, CodeEntry>;
  byCode: Map<string, CodeEntry>;
  nodeNames: Map<number, string>;
}

/**
 * The catalogue as read, for as long as the hierarchy and the city's defaults are unchanged (the
 * generation token triggers change on every change, by any process): every Open311 read needs it, and
 * resolving every code's settings anew is most of the work for a city of thousands of codes.
 */
let catalogueKept: { token: number; catalogue: Catalogue } | null = null;

function readCatalogue(db: Reader): Catalogue {
  const token = hierarchyGeneration(db);
  if (catalogueKept?.token !== token) catalogueKept = { token, catalogue: buildCatalogue(db) };
  return catalogueKept.catalogue;
}

function buildCatalogue(db: Reader): Catalogue {
  const rows = db.select().from(hierarchyNodes).orderBy(asc(hierarchyNodes.position), asc(hierarchyNodes.id)).all();
  const cityDefaults = cityOf(db)?.defaults;
  const byNodeCode = new Map(rows.map((r) => [r.code, r]));
  const children = new Map<number | null, NodeRow[]>();
  for (const row of rows) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row]);

  const codes: CodeEntry[] = [];
  const visit = (row: NodeRow, ancestors: NodeRow[]) => {
    const provider = ancestors.find((a) => a.level === 'provider');
    const category = ancestors.find((a) => a.level === 'category');
    if (row.level === 'problem_code' && provider && category) {
      const chain = [{ source: 'city', settings: cityDefaults }, ...[...ancestors, row].map((n) => ({ source: n.code, settings: n.settings as Settings }))];
      const resolved = resolveSettings(chain, provider.code).value;
      const own = row.settings as Pick<ProblemCodeFile, 'questions' | 'keywords' | 'synonyms'>;
      codes.push({
        id: row.id,
        code: row.code,
        name: row.name,
        description: row.description,
        active: [...ancestors, row].every((n) => n.status === 'active'),
        public: resolved.public,
        group: category.name,
        agency: byNodeCode.get(resolved.standardWorkOrder.provider)?.name ?? provider.name,
        questions: [...(own.questions ?? [])].sort((a, b) => a.order - b.order),
        keywords: [...(own.keywords ?? []), ...(own.synonyms ?? [])],
      });
    }
    for (const child of children.get(row.id) ?? []) visit(child, [...ancestors, row]);
  };
  for (const root of children.get(null) ?? []) visit(root, []);
  return {
    codes,
    byId: new Map(codes.map((c) => [c.id, c])),
    byCode: new Map(codes.map((c) => [c.code, c])),
    nodeNames: new Map(rows.map((r) => [r.id, r.name])),
  };
}

// ---------------------------------------------------------------------------------------------
// Discovery

export interface Discovery {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: { specification: string; url: string; changeset: string; type: 'production' | 'test'; formats: string[] }[];
}

/** The discovery document; its changeset moves whenever a service or a service definition changes. */
export function discovery(db: Reader, endpoint: { url: string; type: 'production' | 'test' }): Discovery {
  const latest = db.get<{ at: string | null }>(sql`SELECT max(updated_at) AS at FROM hierarchy_nodes`)?.at ?? null;
  const changeset = w3(latest ?? new Date().toISOString());
  const city = cityOf(db)?.name ?? 'the city';
  return {
    changeset,
    contact: `Call 311 in ${city}, or write to its 311 administrators, who keep this API.`,
    key_service: `API keys for reporting problems through this API are issued by the 311 administrators of ${city}; reading needs no key.`,
    endpoints: [{ specification, url: endpoint.url, changeset, type: endpoint.type, formats: ['text/xml', 'application/json'] }],
  };
}

// ---------------------------------------------------------------------------------------------
// Services and service definitions

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string | null;
  metadata: boolean;
  type: typeof serviceType;
  keywords: string | null;
  group: string;
}

/** Keywords and synonyms as one comma-separated list; a comma inside one would split it, so it goes. */
function keywordList(words: string[]): string | null {
  const seen = new Set<string>();
  const list: string[] = [];
  for (const word of words) {
    const keyword = word.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
    if (keyword === '' || seen.has(keyword.toLowerCase())) continue;
    seen.add(keyword.toLowerCase());
    list.push(keyword);
  }
  return list.length > 0 ? list.join(', ') : null;
}

const nonEmpty = (text: string | null | undefined) => (text && text.trim() !== '' ? text : null);

/** The public, active problem codes, in the tree's order. */
export function listServices(db: Reader): Open311Service[] {
  return readCatalogue(db)
    .codes.filter((c) => c.active && c.public)
    .map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: nonEmpty(c.description),
      // Notices are shown through the definition too, so a code with only notices has metadata.
      metadata: c.questions.length > 0,
      type: serviceType,
      keywords: keywordList(c.keywords),
      group: c.group,
    }));
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: Question['datatype'];
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

export interface ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

function publicCode(catalogue: Catalogue, code: string): CodeEntry {
  const entry = catalogue.byCode.get(code);
  if (!entry || !entry.active || !entry.public) throw new DomainError('NOT_FOUND', `service_code ${code} was not found: no service has this code.`);
  return entry;
}

/** A code's questions as attributes, in order; notices (read-only text) are variable=false. */
export function serviceDefinition(db: Reader, code: string): ServiceDefinition {
  const entry = publicCode(readCatalogue(db), code);
  // The specification's order is a positive integer; the hierarchy allows 0, which moves all up by one.
  const shift = Math.max(0, 1 - (entry.questions[0]?.order ?? 1));
  return {
    service_code: entry.code,
    attributes: entry.questions.map((q) => ({
      variable: q.variable,
      code: q.code,
      datatype: q.datatype,
      required: q.required,
      datatype_description: nonEmpty(q.datatypeDescription),
      order: q.order + shift,
      description: q.description,
      values: (q.values ?? []).map((v) => ({ key: v.key, name: v.name })),
    })),
  };
}

/** What a code's notices tell whoever reports it: the specification's service_notice. */
function serviceNotice(entry: CodeEntry | undefined): string | null {
  const notices = (entry?.questions ?? []).filter((q) => !q.variable).map((q) => q.description.trim()).filter((d) => d !== '');
  return notices.length > 0 ? notices.join('\n') : null;
}

/** The service_notice of a code, for the answer to a POST: the same text GET requests shows. */
export function serviceNoticeOf(db: Reader, code: string): string | null {
  return serviceNotice(readCatalogue(db).byCode.get(code));
}

// ---------------------------------------------------------------------------------------------
// Reading the arguments of GET requests

/** The arguments as sent (text), empty ones already left out by the route. */
export interface RequestArguments {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  updated_after?: string;
  updated_before?: string;
  page?: string;
  page_size?: string;
  extensions?: string;
}

interface Window {
  from?: string;
  to?: string;
}

interface RequestFilter {
  /** service_request_id: when given, no other filter applies. */
  numbers?: string[];
  codeIds?: number[];
  requested?: Window;
  updated?: Window;
  statuses?: ('open' | 'closed')[];
  limit: number;
  offset: number;
}

const w3Pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+\- ]\d{2}:\d{2})$/;

/**
 * A w3 date and time with its zone (2010-01-01T00:00:00Z, …+01:00), as milliseconds, or null.
 * A "+" left unencoded in a query string arrives as a space; it is read as the "+" it was.
 */
export function parseW3(text: string): number | null {
  const m = w3Pattern.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const offset = zone === 'Z' ? 'Z' : `${zone[0] === ' ' ? '+' : zone[0]}${zone.slice(1)}`;
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) return null;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(ms) ? null : ms;
}

const list = (text: string) => text.split(',').map((v) => v.trim()).filter((v) => v !== '');

const dateForm = 'must be a date and time with its time zone in w3 format, like 2010-01-01T00:00:00Z';

/**
 * A pair of bounds, at most 90 days apart. One bound alone reaches 90 days from it; none gives
 * `fallback` (the most recent 90 days for requested_datetime, nothing for updated_datetime).
 */
function windowOf(args: RequestArguments, from: 'start_date' | 'updated_after', to: 'end_date' | 'updated_before', problems: FieldProblem[], fallback: Window | undefined): Window | undefined {
  const parse = (name: typeof from | typeof to) => {
    const text = args[name];
    if (text === undefined) return undefined;
    const ms = parseW3(text);
    if (ms === null) problems.push({ field: name, message: `${dateForm} (got ${text})` });
    return ms ?? null;
  };
  const start = parse(from);
  const end = parse(to);
  if (start === null || end === null) return undefined;
  if (start !== undefined && end !== undefined) {
    if (end < start) problems.push({ field: to, message: `must not be before ${from}` });
    else if (end - start > windowMs) problems.push({ field: to, message: `must be at most 90 days after ${from}` });
    return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
  }
  if (start !== undefined) return { from: new Date(start).toISOString(), to: new Date(start + windowMs).toISOString() };
  if (end !== undefined) return { from: new Date(end - windowMs).toISOString(), to: new Date(end).toISOString() };
  return fallback;
}

function wholeNumber(args: RequestArguments, name: 'page' | 'page_size', min: number, max: number, fallback: number, problems: FieldProblem[]): number {
  const text = args[name];
  if (text === undefined) return fallback;
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    problems.push({ field: name, message: `must be a whole number from ${min} to ${max.toLocaleString('en-US')} (got ${text})` });
    return fallback;
  }
  return n;
}

/** extensions=true adds the detailed status and the history; anything but true or false is an error. */
export function extensionsOf(text: string | undefined, problems: FieldProblem[]): boolean {
  if (text === undefined) return false;
  const value = text.toLowerCase();
  if (value !== 'true' && value !== 'false') problems.push({ field: 'extensions', message: `must be true or false (got ${text})` });
  return value === 'true';
}

function filterOf(args: RequestArguments, catalogue: Catalogue, now: Date, problems: FieldProblem[]): RequestFilter {
  // "This overrides all other arguments": the filters below are then neither applied nor read.
  if (args.service_request_id !== undefined) {
    const numbers = [...new Set(list(args.service_request_id))];
    if (numbers.length > maxRequests) problems.push({ field: 'service_request_id', message: `may name at most ${maxRequests} requests (got ${numbers.length})` });
    if (numbers.length > 0) return { numbers, limit: maxRequests, offset: 0 };
  }
  const filter: RequestFilter = { limit: maxRequests, offset: 0 };
  if (args.service_code !== undefined) {
    const codes = [...new Set(list(args.service_code))];
    // Requests of a retired code stay public; codes that are not public are not known here at all.
    const unknown = codes.filter((c) => !catalogue.byCode.get(c)?.public);
    if (unknown.length > 0) problems.push({ field: 'service_code', message: `names no service (${unknown.join(', ')})` });
    if (codes.length > 0) filter.codeIds = codes.flatMap((c) => catalogue.byCode.get(c)?.id ?? []);
  }
  if (args.status !== undefined) {
    const statuses = [...new Set(list(args.status.toLowerCase()))];
    const wrong = statuses.filter((s) => s !== 'open' && s !== 'closed');
    if (wrong.length > 0) problems.push({ field: 'status', message: `must be open, closed, or both separated by a comma (got ${wrong.join(', ')})` });
    if (statuses.length > 0) filter.statuses = statuses.filter((s): s is 'open' | 'closed' => s === 'open' || s === 'closed');
  }
  const anyUpdated = args.updated_after !== undefined || args.updated_before !== undefined;
  // With no date at all, the most recent 90 days; a client asking what changed since a time
  // (updated_after) gets every request changed since, whenever it was made.
  const recent = anyUpdated ? undefined : { from: new Date(now.getTime() - windowMs).toISOString(), to: now.toISOString() };
  filter.requested = windowOf(args, 'start_date', 'end_date', problems, recent);
  filter.updated = windowOf(args, 'updated_after', 'updated_before', problems, undefined);
  filter.limit = wholeNumber(args, 'page_size', 1, maxRequests, maxRequests, problems);
  filter.offset = (wholeNumber(args, 'page', 1, 1_000_000, 1, problems) - 1) * filter.limit;
  return filter;
}

// ---------------------------------------------------------------------------------------------
// Service requests

export interface Open311Note {
  datetime: string;
  type: 'opened' | 'submitted' | 'activity' | 'closed' | 'reopened';
  summary: string;
  description: string | null;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  extended_attributes?: {
    detailed_status: RequestStatus;
    work_order_id: string | null;
    work_order_status: WorkOrderStatus | null;
    channel: Channel;
    duplicate: boolean;
    parent_service_request_id: string | null;
  };
  notes?: Open311Note[];
}

/**
 * Which customer requests are service requests: action requests complete enough to be worked (ready,
 * on a work order, or closed) of a code that is public now. Information requests and comments never
 * are; nor a request still being taken down (it may not even have a code yet), nor a cancelled one.
 */
const visibleStatuses = ['ready', 'in_progress', 'closed'] as const satisfies readonly RequestStatus[];

/** For closed requests the time they closed, as the specification says; else the last change to the request or its work order. */
const updatedAt = sql<string>`CASE WHEN ${customerRequests.status} = 'closed' THEN coalesce(${customerRequests.closedAt}, ${customerRequests.updatedAt})
  ELSE max(${customerRequests.updatedAt}, coalesce(${workOrders.updatedAt}, '')) END`;

function selectRequests(db: Reader, catalogue: Catalogue, where: SQL[], limit: number, offset: number) {
  const publicIds = catalogue.codes.filter((c) => c.public).map((c) => c.id);
  if (publicIds.length === 0) return [];
  return db
    .select({
      id: customerRequests.id,
      number: customerRequests.number,
      status: customerRequests.status,
      channel: customerRequests.channel,
      description: customerRequests.description,
      classification: customerRequests.classification,
      problemCodeId: customerRequests.problemCodeId,
      addressId: customerRequests.addressId,
      locationText: customerRequests.locationText,
      latitude: customerRequests.latitude,
      longitude: customerRequests.longitude,
      mediaUrl: customerRequests.mediaUrl,
      workOrderId: customerRequests.workOrderId,
      promisedAt: customerRequests.promisedAt,
      resolution: customerRequests.resolution,
      startedAt: customerRequests.startedAt,
      workOrderNumber: workOrders.number,
      workOrderStatus: workOrders.status,
      providerId: workOrders.providerId,
      postcode: addresses.postcode,
      updatedAt,
    })
    .from(customerRequests)
    .leftJoin(workOrders, eq(workOrders.id, customerRequests.workOrderId))
    .leftJoin(addresses, eq(addresses.id, customerRequests.addressId))
    .where(and(eq(customerRequests.type, 'action'), inArray(customerRequests.status, visibleStatuses), inArray(customerRequests.problemCodeId, publicIds), ...where))
    .orderBy(desc(customerRequests.startedAt), desc(customerRequests.id))
    .limit(limit)
    .offset(offset)
    .all();
}

type Row = ReturnType<typeof selectRequests>[number];

interface AuditRow {
  id: number;
  at: string;
  entityId: string | null;
  action: string;
  changes: Record<string, { before: unknown; after: unknown }> | null;
}

const after = (entry: AuditRow, field: string) => entry.changes?.[field]?.after;

/** The requests whose filing made each work order, from the work orders' creation records. */
function creatorsOf(db: Reader, workOrderNumbers: string[]): Map<string, string> {
  if (workOrderNumbers.length === 0) return new Map();
  const rows = db
    .select({ workOrder: auditLog.entityId, request: sql<string | null>`json_extract(${auditLog.changes}, '$.from.after')` })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'work_order'), eq(auditLog.action, 'work_order.created'), inArray(auditLog.entityId, workOrderNumbers)))
    .all();
  return new Map(rows.flatMap((r) => (r.workOrder && r.request ? [[r.workOrder, r.request] as const] : [])));
}

/**
 * The original report of each work order: the request whose filing made it (work_order.created
 * records it), while that request is still on it and not cancelled; otherwise — its caller withdrew
 * it, or it was split off as another problem — the earliest request still on it. Every other request
 * on the work order is a duplicate of the original: it was linked to work another report had made, or
 * its own work order was merged into this one as a duplicate.
 */
function originsOf(db: Reader, rows: Row[]): Map<number, string> {
  const onWorkOrders = rows.filter((r) => r.workOrderId !== null && r.workOrderNumber !== null);
  if (onWorkOrders.length === 0) return new Map();
  const numberOf = new Map(onWorkOrders.map((r) => [r.workOrderId!, r.workOrderNumber!]));
  const creators = creatorsOf(db, [...new Set(numberOf.values())]);
  const requestsOn = new Map<number, string[]>();
  const linked = db
    .select({ workOrderId: customerRequests.workOrderId, number: customerRequests.number })
    .from(customerRequests)
    .where(and(inArray(customerRequests.workOrderId, [...numberOf.keys()]), sql`${customerRequests.status} <> 'cancelled'`))
    .orderBy(asc(customerRequests.id))
    .all();
  for (const r of linked) requestsOn.set(r.workOrderId!, [...(requestsOn.get(r.workOrderId!) ?? []), r.number]);
  const origins = new Map<number, string>();
  for (const [id, number] of numberOf) {
    const on = requestsOn.get(id) ?? [];
    const creator = creators.get(number);
    const origin = creator !== undefined && on.includes(creator) ? creator : on[0];
    if (origin !== undefined) origins.set(id, origin);
  }
  return origins;
}

const channelWords: Record<Channel, string> = {
  phone: 'by phone',
  email: 'by e-mail',
  fax: 'by fax',
  walk_in: 'in person',
  mail: 'by mail',
  web: 'on the web',
  mobile_app: 'in a mobile app',
  open311: 'through the Open311 API',
};

const workOrderWords: Record<WorkOrderStatus, string> = {
  new: 'waiting for a crew',
  assigned: 'assigned to a crew',
  in_progress: 'work in progress',
  on_hold: 'on hold',
  completed: 'completed',
  cancelled: 'cancelled',
};

/** Work-order records whose status change the request's own history already tells (closed, reopened) or that are not its news. */
const untoldWorkOrderActions = new Set(['work_order.created', 'work_order.completed', 'work_order.cancelled', 'work_order.reopened', 'work_order.merged']);

/**
 * The public history of each request (extensions=true), from the audit trail: opened, submitted, the
 * work order it went on (new, or one already open for the same problem), moves between work orders,
 * the status changes of its work order while it was on it, closing with the resolution, reopening.
 * Never the dispatchers' notes, reasons for holds or reopenings, crews or anybody's name: those are
 * the city's working notes, not what a caller was told.
 */
function historiesOf(db: Reader, rows: Row[]): Map<string, Open311Note[]> {
  const numbers = rows.map((r) => r.number);
  const audit = (entityType: string, ids: string[]): AuditRow[] =>
    ids.length === 0
      ? []
      : db
          .select({ id: auditLog.id, at: auditLog.at, entityId: auditLog.entityId, action: auditLog.action, changes: auditLog.changes })
          .from(auditLog)
          .where(and(eq(auditLog.entityType, entityType), inArray(auditLog.entityId, ids)))
          .orderBy(asc(auditLog.id))
          .all();
  const requestEntries = audit('customer_request', numbers);
  const workOrderNumbers = [...new Set(requestEntries.filter((e) => e.action === 'request.linked' || e.action === 'request.moved').map((e) => String(after(e, 'workOrder') ?? '')).filter(Boolean))];
  const workOrderEntries = audit('work_order', workOrderNumbers);
  const creators = new Map(workOrderEntries.filter((e) => e.action === 'work_order.created').map((e) => [e.entityId!, String(after(e, 'from') ?? '')]));

  const histories = new Map<string, Open311Note[]>();
  for (const row of rows) {
    const notes: (Open311Note & { seq: number })[] = [{ datetime: w3(row.startedAt), type: 'opened', summary: `Request opened ${channelWords[row.channel]}`, description: null, seq: 0 }];
    const note = (entry: AuditRow, type: Open311Note['type'], summary: string, description: string | null = null) => notes.push({ datetime: w3(entry.at), type, summary, description, seq: entry.id });
    // The work orders the request was on, each from the record that put it there to the next one.
    const stays: { workOrder: string; from: number; to: number }[] = [];
    for (const entry of requestEntries.filter((e) => e.entityId === row.number)) {
      const workOrder = String(after(entry, 'workOrder') ?? '');
      const madeForIt = creators.get(workOrder) === row.number;
      switch (entry.action) {
        case 'request.completed':
          note(entry, 'submitted', 'Request submitted');
          break;
        case 'request.linked':
        case 'request.moved':
          note(entry, 'activity', `${entry.action === 'request.linked' ? 'Put on' : 'Moved to'} work order ${workOrder}, ${madeForIt ? 'made for this request' : 'already open for the same problem'}`);
          if (stays.length > 0) stays.at(-1)!.to = entry.id;
          stays.push({ workOrder, from: entry.id, to: Number.POSITIVE_INFINITY });
          break;
        case 'request.closed': {
          const resolution = after(entry, 'resolution');
          note(entry, 'closed', 'Request closed', typeof resolution === 'string' && resolution.trim() !== '' ? resolution : null);
          break;
        }
        case 'request.reopened':
          note(entry, 'reopened', 'Request reopened: the work is not finished');
          break;
      }
    }
    for (const stay of stays) {
      for (const entry of workOrderEntries) {
        if (entry.entityId !== stay.workOrder || entry.id <= stay.from || entry.id >= stay.to || untoldWorkOrderActions.has(entry.action)) continue;
        const status = after(entry, 'status') as WorkOrderStatus | undefined;
        if (status && workOrderWords[status]) note(entry, 'activity', `Work order ${stay.workOrder}: ${workOrderWords[status]}`);
      }
    }
    histories.set(row.number, notes.sort((a, b) => a.seq - b.seq).map(({ seq: _seq, ...n }) => n));
  }
  return histories;
}

function toOpen311(rows: Row[], catalogue: Catalogue, origins: Map<number, string>, histories: Map<string, Open311Note[]> | null): Open311Request[] {
  return rows.map((row) => {
    const code = row.problemCodeId === null ? undefined : catalogue.byId.get(row.problemCodeId);
    const origin = row.workOrderId === null ? undefined : origins.get(row.workOrderId);
    const duplicateOf = origin !== undefined && origin !== row.number ? origin : null;
    const resolution = row.status === 'closed' ? nonEmpty(row.resolution.trim()) : null;
    const statusNotes = duplicateOf ? `Duplicate of ${duplicateOf}${resolution ? `. ${resolution}` : ''}` : resolution;
    const request: Open311Request = {
      service_request_id: row.number,
      status: row.status === 'closed' ? 'closed' : 'open',
      status_notes: statusNotes,
      // As the request was classified: a renamed code does not rename what was reported.
      service_name: row.classification?.name ?? code?.name ?? '',
      service_code: row.classification?.code ?? code?.code ?? '',
      description: nonEmpty(row.description),
      agency_responsible: (row.providerId === null ? undefined : catalogue.nodeNames.get(row.providerId)) ?? code?.agency ?? null,
      service_notice: serviceNotice(code),
      requested_datetime: w3(row.startedAt),
      updated_datetime: w3(row.updatedAt),
      expected_datetime: row.promisedAt === null ? null : w3(row.promisedAt),
      address: nonEmpty(row.locationText),
      address_id: row.addressId === null ? null : String(row.addressId),
      zipcode: nonEmpty(row.postcode),
      lat: row.latitude,
      long: row.longitude,
      media_url: row.mediaUrl,
    };
    if (histories) {
      request.extended_attributes = {
        detailed_status: row.status,
        work_order_id: row.workOrderNumber,
        work_order_status: row.workOrderStatus,
        channel: row.channel,
        duplicate: duplicateOf !== null,
        parent_service_request_id: duplicateOf,
      };
      request.notes = histories.get(row.number) ?? [];
    }
    return request;
  });
}

function render(db: Reader, catalogue: Catalogue, rows: Row[], extensions: boolean): Open311Request[] {
  return toOpen311(rows, catalogue, originsOf(db, rows), extensions ? historiesOf(db, rows) : null);
}

/** GET requests: newest first, filtered as the arguments say. */
export function listServiceRequests(db: Reader, args: RequestArguments, now = new Date()): Open311Request[] {
  const catalogue = readCatalogue(db);
  const problems: FieldProblem[] = [];
  const filter = filterOf(args, catalogue, now, problems);
  const extensions = extensionsOf(args.extensions, problems);
  assertNoProblems(problems, 'The arguments');

  const where: SQL[] = [];
  if (filter.numbers) where.push(inArray(customerRequests.number, filter.numbers));
  if (filter.codeIds) where.push(inArray(customerRequests.problemCodeId, filter.codeIds));
  if (filter.statuses && filter.statuses.length === 1) {
    where.push(filter.statuses[0] === 'closed' ? eq(customerRequests.status, 'closed') : sql`${customerRequests.status} <> 'closed'`);
  }
  if (filter.requested?.from) where.push(gte(customerRequests.startedAt, filter.requested.from));
  if (filter.requested?.to) where.push(lte(customerRequests.startedAt, filter.requested.to));
  if (filter.updated?.from) where.push(gt(updatedAt, filter.updated.from));
  if (filter.updated?.to) where.push(lt(updatedAt, filter.updated.to));
  return render(db, catalogue, selectRequests(db, catalogue, where, filter.limit, filter.offset), extensions);
}

/** GET requests/{id}: the one request, as a list of one, as the specification shapes it. */
export function getServiceRequest(db: Reader, number: string, args: Pick<RequestArguments, 'extensions'>): Open311Request[] {
  const problems: FieldProblem[] = [];
  const extensions = extensionsOf(args.extensions, problems);
  assertNoProblems(problems, 'The arguments');
  const catalogue = readCatalogue(db);
  const rows = selectRequests(db, catalogue, [eq(customerRequests.number, number)], 1, 0);
  if (rows.length === 0) throw new DomainError('NOT_FOUND', `service_request_id ${number} was not found: no service request has this number.`);
  return render(db, catalogue, rows, extensions);
}

/** GET tokens/{token}: the request a POST answered with this token, as a list of one. */
export function requestOfToken(db: Reader, token: string): { service_request_id: string; token: string }[] {
  const row = db.select({ number: customerRequests.number }).from(customerRequests).where(eq(customerRequests.open311Token, token)).get();
  if (!row) throw new DomainError('NOT_FOUND', `token ${token} was not found: tokens are the ones POST requests answered with.`);
  return [{ service_request_id: row.number, token }];
}
