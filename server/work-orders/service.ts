// Work orders: one per problem. The first report of a problem makes one from its code's standard work
// order (work type, priority, tasks, provider, due dates from the turnaround); later reports of the same
// problem are linked to it. Dispatchers move it new → assigned → in progress ⇄ on hold → completed |
// cancelled; closing it closes every request on it and puts an answer in the outbox for each caller who
// asked for one. Every change is audited; every update carries the version it was made against.
import { and, asc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { perConnection, placeholders, type Db } from '../../db/connection.ts';
import { contacts } from '../../db/schema/contacts.ts';
import { hierarchyNodes } from '../../db/schema/hierarchy.ts';
import { customerRequests } from '../../db/schema/intake.ts';
import {
  openStatusList,
  openWorkOrderStatuses,
  workOrderNotes,
  workOrders,
  type Priority,
  type Task,
  type WorkOrderStatus,
} from '../../db/schema/work-orders.ts';
import { users } from '../../db/schema/accounts.ts';
import { listAudit, recordAudit, type Actor } from '../audit/service.ts';
import { assertNoProblems, DomainError, fieldError, type FieldProblem } from '../errors.ts';
import type { Settings } from '../hierarchy/files.ts';
import { getNode } from '../hierarchy/service.ts';
import { assertStatus, assertVersion, deskChannels, findRow, requestView, save as saveRequest, type RequestRow, type RequestView, type Tx } from '../intake/service.ts';
import { nextNumber } from '../numbers.ts';
import { oweAnswer, withdrawAnswers } from '../outbox/service.ts';
import { findDuplicateCandidates, matchValueOf, ruleOf, type Candidate, type CandidateSearch } from './duplicates.ts';

type WorkOrderRow = typeof workOrders.$inferSelect;
type Reader = Db;

export interface WorkOrderOptions {
  /** 0–1: a candidate this alike is strong enough for a channel without a clerk to link to it. */
  strongScore: number;
  /** How long after it closed a work order may be reopened. */
  reopenDays: number;
}

/** The options from the process configuration (percent → 0–1). */
export function workOrderOptionsOf(config: { DUPLICATE_STRONG_SCORE: number; WORK_ORDER_REOPEN_DAYS: number }): WorkOrderOptions {
  return { strongScore: config.DUPLICATE_STRONG_SCORE / 100, reopenDays: config.WORK_ORDER_REOPEN_DAYS };
}

const isOpen = (status: WorkOrderStatus) => (openWorkOrderStatuses as readonly string[]).includes(status);

/** The status moves a dispatcher makes; reopening a closed work order is its own action. */
const moves: Record<WorkOrderStatus, WorkOrderStatus[]> = {
  new: ['assigned', 'cancelled'],
  assigned: ['in_progress', 'cancelled'],
  in_progress: ['on_hold', 'completed', 'cancelled'],
  on_hold: ['in_progress', 'cancelled'],
  completed: [],
  cancelled: [],
};

const statusName = (s: WorkOrderStatus) => s.replace('_', ' ');

// ---------------------------------------------------------------------------------------------
// Reading

/** The reads every filing makes, built once per connection. */
const reads = perConnection((db) => ({
  workOrderByNumber: db.select().from(workOrders).where(eq(workOrders.number, sql.placeholder('number'))).prepare(),
  numberOf: db.select({ number: workOrders.number }).from(workOrders).where(eq(workOrders.id, sql.placeholder('id'))).prepare(),
  node: db.select({ code: hierarchyNodes.code, name: hierarchyNodes.name, status: hierarchyNodes.status }).from(hierarchyNodes).where(eq(hierarchyNodes.id, sql.placeholder('id'))).prepare(),
  nodeByCode: db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, sql.placeholder('code'))).prepare(),
}));

/** A new work order's row: every field a filing sets, built once per connection. */
const insertWorkOrder = perConnection((db) =>
  db
    .insert(workOrders)
    .values(
      placeholders(
        'number', 'problemCodeId', 'categoryId', 'providerId', 'departmentId', 'classification', 'workType', 'priority', 'tasks', 'description',
        'addressId', 'locationText', 'latitude', 'longitude', 'matchValue', 'temporaryDueAt', 'dueAt', 'createdById', 'createdAt', 'updatedAt',
      ),
    )
    .returning()
    .prepare(),
);

function findWorkOrder(db: Reader, number: string): WorkOrderRow {
  const row = reads(db).workOrderByNumber.get({ number });
  if (!row) throw new DomainError('NOT_FOUND', `There is no work order ${number}.`);
  return row;
}

function nodeBrief(db: Reader, id: number) {
  return reads(db).node.get({ id })!;
}

function reopenUntil(row: WorkOrderRow, options: WorkOrderOptions): string | null {
  if (isOpen(row.status) || row.closedAt === null || row.duplicateOfId !== null) return null;
  return new Date(Date.parse(row.closedAt) + options.reopenDays * 86_400_000).toISOString();
}

export type WorkOrderView = ReturnType<typeof view>;

function view(db: Reader, row: WorkOrderRow, options: WorkOrderOptions) {
  const now = new Date().toISOString();
  const requests = db
    .select({
      number: customerRequests.number,
      status: customerRequests.status,
      channel: customerRequests.channel,
      description: customerRequests.description,
      locationText: customerRequests.locationText,
      contactName: contacts.name,
      contactPhones: contacts.phones,
      replyWanted: customerRequests.replyWanted,
      replyMethod: customerRequests.replyMethod,
      replyTo: customerRequests.replyTo,
      promisedAt: customerRequests.promisedAt,
      startedAt: customerRequests.startedAt,
    })
    .from(customerRequests)
    .leftJoin(contacts, eq(contacts.id, customerRequests.contactId))
    .where(eq(customerRequests.workOrderId, row.id))
    .orderBy(asc(customerRequests.id))
    .all()
    .map(({ contactPhones, ...r }) => ({ ...r, contactPhone: contactPhones?.[0]?.number ?? null }));
  const notes = db
    .select({ id: workOrderNotes.id, text: workOrderNotes.text, at: workOrderNotes.at, author: users.displayName })
    .from(workOrderNotes)
    .leftJoin(users, eq(users.id, workOrderNotes.authorId))
    .where(eq(workOrderNotes.workOrderId, row.id))
    .orderBy(asc(workOrderNotes.id))
    .all();
  const mergedHere = db.select({ number: workOrders.number }).from(workOrders).where(eq(workOrders.duplicateOfId, row.id)).orderBy(asc(workOrders.id)).all().map((w) => w.number);
  const until = reopenUntil(row, options);
  return {
    number: row.number,
    status: row.status,
    priority: row.priority,
    workType: row.workType,
    classification: row.classification,
    problemCode: nodeBrief(db, row.problemCodeId),
    provider: nodeBrief(db, row.providerId),
    department: nodeBrief(db, row.departmentId),
    assignee: row.assignee,
    tasks: row.tasks,
    description: row.description,
    location: { addressId: row.addressId, text: row.locationText, latitude: row.latitude, longitude: row.longitude },
    matchValue: row.matchValue,
    temporaryDueAt: row.temporaryDueAt,
    dueAt: row.dueAt,
    overdue: isOpen(row.status) && row.dueAt < now,
    resolution: row.resolution,
    duplicateOf: row.duplicateOfId === null ? null : reads(db).numberOf.get({ id: row.duplicateOfId })!.number,
    mergedHere,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    closedAt: row.closedAt,
    version: row.version,
    /** The statuses it may move to now (reopen aside). */
    transitions: moves[row.status],
    reopenUntil: until !== null && until > now ? until : null,
    requests,
    notes,
  };
}

export function getWorkOrder(db: Reader, number: string, options: WorkOrderOptions): WorkOrderView {
  return view(db, findWorkOrder(db, number), options);
}

export function workOrderHistory(db: Db, number: string) {
  findWorkOrder(db, number);
  return listAudit(db, { entityType: 'work_order', entityId: number, limit: 500 }).items.reverse();
}

/** What the history shows of a work order: ids as what they point at. */
function audited(db: Reader, row: WorkOrderRow): Record<string, unknown> {
  const { id: _id, problemCodeId: _p, categoryId: _c, providerId, departmentId: _d, classification, duplicateOfId, createdById: _b, updatedAt: _u, version: _v, ...rest } = row;
  return {
    ...rest,
    problemCode: classification.code,
    provider: nodeBrief(db, providerId).code,
    duplicateOf: duplicateOfId === null ? null : (reads(db).numberOf.get({ id: duplicateOfId })?.number ?? null),
  };
}

export interface QueueQuery {
  department?: string;
  provider?: string;
  /** A status, or `open` (the default: every status still to be worked), `closed` or `all`. */
  status?: WorkOrderStatus | 'open' | 'closed' | 'all';
  priority?: Priority;
  overdue?: boolean;
  assignee?: string;
  problemCode?: string;
  /** A work order number or its beginning. */
  number?: string;
  limit: number;
  offset: number;
}

function nodeIdOf(db: Reader, code: string, level: string, field: string): number {
  const node = db.select({ id: hierarchyNodes.id, level: hierarchyNodes.level }).from(hierarchyNodes).where(eq(hierarchyNodes.code, code)).get();
  if (!node || node.level !== level) throw fieldError(`/querystring/${field}`, `names no ${level.replace('_', ' ')} (${code})`);
  return node.id;
}

/** The dispatch queue: work orders by due date (the most urgent first), filtered. */
/** How far the queue counts its work orders. */
export const queueCountLimit = 10_000;

export function listWorkOrders(db: Reader, query: QueueQuery) {
  const where: SQL[] = [];
  const status = query.status ?? 'open';
  // Written out, not bound: the queue's partial indexes serve only a query that says "open" in the same words.
  const open = sql`${workOrders.status} IN ${openStatusList}`;
  if (status === 'open') where.push(open);
  else if (status === 'closed') where.push(inArray(workOrders.status, ['completed', 'cancelled']));
  else if (status !== 'all') where.push(eq(workOrders.status, status));
  if (query.department) where.push(eq(workOrders.departmentId, nodeIdOf(db, query.department, 'department', 'department')));
  if (query.provider) where.push(eq(workOrders.providerId, nodeIdOf(db, query.provider, 'provider', 'provider')));
  if (query.problemCode) where.push(eq(workOrders.problemCodeId, nodeIdOf(db, query.problemCode, 'problem_code', 'problemCode')));
  if (query.priority) where.push(eq(workOrders.priority, query.priority));
  if (query.assignee) where.push(sql`${workOrders.assignee} LIKE ${`%${query.assignee.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`);
  if (query.number) where.push(sql`${workOrders.number} >= ${query.number} AND ${workOrders.number} < ${query.number + '\u{10FFFF}'}`);
  const now = new Date().toISOString();
  if (query.overdue) where.push(lt(workOrders.dueAt, now), open);
  const condition = and(...where);
  // Counted only up to a point: counting a city's 200,000 open work orders on every page cost more than
  // the page itself, and nobody pages that far; past it the queue says "10,000 or more".
  const counted = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM work_orders WHERE ${condition ?? sql`1`} LIMIT ${queueCountLimit + 1})`)!.n;
  const total = Math.min(counted, queueCountLimit);
  // The page first, then its rows. The whole open queue reads the open work orders' due-date index in
  // order and stops at the page; left to itself the planner (without ANALYZE statistics) sorts every open
  // work order, and computes each one's callers, for every page.
  const hint = status === 'open' && !query.department && !query.provider ? sql.raw(' INDEXED BY work_orders_open_due_idx') : sql``;
  const pageIds = db
    .all<{ id: number }>(sql`SELECT id FROM work_orders${hint} WHERE ${condition ?? sql`1`} ORDER BY due_at, id LIMIT ${query.limit} OFFSET ${query.offset}`)
    .map((r) => r.id);
  const items = (pageIds.length === 0 ? [] : db
    .select({
      number: workOrders.number,
      status: workOrders.status,
      priority: workOrders.priority,
      workType: workOrders.workType,
      classification: workOrders.classification,
      providerName: hierarchyNodes.name,
      assignee: workOrders.assignee,
      locationText: workOrders.locationText,
      dueAt: workOrders.dueAt,
      createdAt: workOrders.createdAt,
      callers: sql<number>`(SELECT count(*) FROM customer_requests r WHERE r.work_order_id = ${workOrders.id} AND r.status <> 'cancelled')`,
    })
    .from(workOrders)
    .innerJoin(hierarchyNodes, eq(hierarchyNodes.id, workOrders.providerId))
    .where(inArray(workOrders.id, pageIds))
    .orderBy(asc(workOrders.dueAt), asc(workOrders.id))
    .all())
    .map(({ classification, ...w }) => ({
      ...w,
      problemCode: classification.code,
      problemName: classification.name,
      overdue: isOpen(w.status) && w.dueAt < now,
    }));
  return { items, total, totalIsAtLeast: counted > queueCountLimit };
}

// ---------------------------------------------------------------------------------------------
// From a request to its work order

function probeOf(row: RequestRow) {
  return { problemCode: row.classification!.code, latitude: row.latitude, longitude: row.longitude, addressId: row.addressId, answers: row.answers };
}

function readyActionRequest(tx: Reader, number: string): RequestRow {
  const row = findRow(tx, number);
  if (row.type !== 'action') throw new DomainError('INVALID_STATE', `${row.number} is not an action request; only those go to work orders.`);
  return row;
}

/** The open work orders a ready (or still open) action request may be a duplicate of. */
export function requestDuplicates(db: Reader, number: string, options: WorkOrderOptions): CandidateSearch & { request: string } {
  const row = readyActionRequest(db, number);
  if (row.classification === null) throw new DomainError('INVALID_STATE', `${row.number} has no problem code yet; duplicates are searched by code.`);
  return { request: row.number, ...findDuplicateCandidates(db, probeOf(row), { strongScore: options.strongScore, excludeWorkOrderId: row.workOrderId ?? undefined }) };
}

/** A new work order for `request`, made from its code's standard work order. */
function createWorkOrder(tx: Tx, actor: Actor, request: RequestRow, now: Date): WorkOrderRow {
  const code = request.classification!.code;
  const node = getNode(tx, code);
  const resolved = node.resolved!.value as Required<Pick<Settings, 'standardWorkOrder' | 'turnaround'>> & { standardWorkOrder: { workType: string; priority: Priority; tasks: string[]; provider: string } };
  const provider = reads(tx).nodeByCode.get({ code: resolved.standardWorkOrder.provider });
  if (!provider || provider.parentId === null) throw new DomainError('INVALID_STATE', `The standard work order of ${code} names no service provider (${resolved.standardWorkOrder.provider}); an administrator must fix the hierarchy.`);
  const { rule, codeId, categoryId } = ruleOf(tx, code);
  const hours = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();
  const at = now.toISOString();
  const values: Omit<typeof workOrders.$inferInsert, 'id' | 'status' | 'assignee' | 'resolution' | 'duplicateOfId' | 'closedAt' | 'version'> = {
      number: nextNumber(tx, 'work_order', now, 'W'),
      problemCodeId: codeId,
      categoryId,
      providerId: provider.id,
      departmentId: provider.parentId,
      classification: request.classification!,
      workType: resolved.standardWorkOrder.workType,
      priority: resolved.standardWorkOrder.priority,
      tasks: resolved.standardWorkOrder.tasks.map((text) => ({ text, done: false, doneAt: null, doneBy: null })),
      description: request.description,
      addressId: request.addressId,
      locationText: request.locationText,
      latitude: request.latitude,
      longitude: request.longitude,
      matchValue: matchValueOf(rule, request.answers),
      temporaryDueAt: resolved.turnaround.temporaryHours === undefined ? null : hours(resolved.turnaround.temporaryHours),
      dueAt: hours(resolved.turnaround.permanentHours),
      createdById: actor.userId,
      createdAt: at,
      updatedAt: at,
  };
  const row = insertWorkOrder(tx).get(values)!;
  recordAudit(tx, actor, { entityType: 'work_order', entityId: row.number, action: 'work_order.created', after: { ...audited(tx, row), from: request.number } });
  return row;
}

/** Puts `request` on `workOrder`: the caller is promised the work order's due date. */
function link(tx: Tx, actor: Actor, request: RequestRow, workOrder: WorkOrderRow, extra: Partial<RequestRow> = {}): RequestRow {
  const after = saveRequest(tx, actor, request, { workOrderId: workOrder.id, status: 'in_progress', promisedAt: workOrder.dueAt, ...extra }, 'request.linked');
  recordAudit(tx, actor, { entityType: 'work_order', entityId: workOrder.number, action: 'work_order.request_linked', after: { request: request.number } });
  return after;
}

export type Decision = { version: number } & ({ decision: 'link'; workOrder: string } | { decision: 'create'; reason?: string } | { decision: 'auto' });

export interface FileResult {
  request: RequestView;
  workOrder: string;
  /** True when the request joined an existing work order, false when it made a new one. */
  linked: boolean;
  candidates: Candidate[];
}

/**
 * Ends a ready action request on a work order: the one the clerk chose, a new one (with a reason when
 * duplicates were found), or — for channels without a clerk — automatically: linked when exactly one
 * strong candidate exists, otherwise new. The duplicate search and the creation happen in one
 * immediate (write-locked) transaction, so simultaneous reports of one new problem make one work order.
 */
export function fileRequest(db: Db, actor: Actor, number: string, input: Decision, options: WorkOrderOptions): FileResult {
  return db.transaction(
    (tx) => {
      const row = readyActionRequest(tx, number);
      assertVersion(row, input.version);
      assertStatus(row, ['ready'], 'put on a work order (complete it first)');
      // A clerk always decides (DESIGN rule 4): the automatic mode is for reports that come without one.
      if (input.decision === 'auto' && actor.userId !== null && (deskChannels as readonly string[]).includes(row.channel)) {
        throw fieldError('/body/decision', `auto is for reports that come without a clerk (portal, Open311); ${row.number} came by ${row.channel.replace('_', '-')}: link it to a candidate or make new work (with a reason when candidates exist)`);
      }
      const now = new Date();
      const { candidates } = findDuplicateCandidates(tx, probeOf(row), { now, strongScore: options.strongScore });
      let workOrder: WorkOrderRow;
      let linked: boolean;
      let after: RequestRow;
      if (input.decision === 'link') {
        workOrder = findWorkOrder(tx, input.workOrder);
        if (!isOpen(workOrder.status)) throw new DomainError('INVALID_STATE', `${workOrder.number} is ${statusName(workOrder.status)}; a request can join only an open work order.`, [{ field: '/body/workOrder', message: 'is closed' }]);
        after = link(tx, actor, row, workOrder);
        linked = true;
      } else {
        const strong = candidates.filter((c) => c.strong);
        if (input.decision === 'auto' && strong.length === 1) {
          workOrder = findWorkOrder(tx, strong[0]!.number);
          after = link(tx, actor, row, workOrder);
          linked = true;
        } else {
          let reason = input.decision === 'create' ? (input.reason ?? '').trim() : '';
          if (input.decision === 'create' && candidates.length > 0 && reason === '') {
            const list = candidates.map((c) => c.number).join(', ');
            throw new DomainError('VALIDATION_FAILED', `${candidates.length} open work order${candidates.length === 1 ? ' looks' : 's look'} like the same problem (${list}): link the request to one, or say why this is new work.`, [
              { field: '/body/reason', message: `is required: possible duplicates exist (${list})` },
            ]);
          }
          if (input.decision === 'auto' && candidates.length > 0) {
            reason = strong.length > 1 ? `filed automatically: ${strong.length} equally likely duplicates, none certain` : `filed automatically: ${candidates.length} possible duplicate${candidates.length === 1 ? '' : 's'}, none strong enough`;
          }
          workOrder = createWorkOrder(tx, actor, row, now);
          after = link(tx, actor, row, workOrder, { newWorkReason: reason });
          linked = false;
        }
      }
      return { request: requestView(tx, after), workOrder: workOrder.number, linked, candidates };
    },
    // Immediate (the default of db/connection.ts, said here because this is where it matters most).
    { behavior: 'immediate' },
  );
}

// ---------------------------------------------------------------------------------------------
// Working a work order

function saveWorkOrder(tx: Tx, actor: Actor, row: WorkOrderRow, values: Partial<WorkOrderRow>, action: string, extra: Record<string, unknown> = {}): WorkOrderRow {
  const after = tx
    .update(workOrders)
    .set({ ...values, version: row.version + 1, updatedAt: new Date().toISOString() })
    .where(eq(workOrders.id, row.id))
    .returning()
    .get();
  recordAudit(tx, actor, { entityType: 'work_order', entityId: row.number, action, before: audited(tx, row), after: { ...audited(tx, after), ...extra } });
  return after;
}

/**
 * A new version for a work order whose callers changed (merge, split): whoever has it open learns of it
 * before they close it and tell callers they never saw. The change itself is audited by the caller.
 */
function touch(tx: Tx, row: WorkOrderRow): WorkOrderRow {
  return tx.update(workOrders).set({ version: row.version + 1, updatedAt: new Date().toISOString() }).where(eq(workOrders.id, row.id)).returning().get();
}

function checkVersion(row: WorkOrderRow, version: number): void {
  if (row.version !== version) {
    throw new DomainError('VERSION_CONFLICT', `${row.number} was changed since you opened it (now version ${row.version}); reload it and make your change again.`);
  }
}

function assertOpen(row: WorkOrderRow, doing: string): void {
  if (!isOpen(row.status)) throw new DomainError('INVALID_STATE', `${row.number} is ${statusName(row.status)}; it cannot be ${doing}.`);
}

export interface WorkOrderChanges {
  version: number;
  assignee?: string;
  priority?: Priority;
  dueAt?: string;
  tasks?: { text: string; done: boolean }[];
  description?: string;
}

/**
 * Assignment, priority, due date, tasks and description. Naming a crew on a new work order assigns it;
 * taking the crew away from an assigned one puts it back to new. Ticked tasks keep who ticked them.
 */
export function updateWorkOrder(db: Db, actor: Actor, number: string, changes: WorkOrderChanges, options: WorkOrderOptions): WorkOrderView {
  return db.transaction((tx) => {
    const row = findWorkOrder(tx, number);
    checkVersion(row, changes.version);
    assertOpen(row, 'changed');
    const values: Partial<WorkOrderRow> = {};
    const problems: FieldProblem[] = [];
    if (changes.assignee !== undefined) {
      const assignee = changes.assignee.trim();
      values.assignee = assignee;
      if (assignee !== '' && row.status === 'new') values.status = 'assigned';
      if (assignee === '' && row.status !== 'new') {
        if (row.status === 'assigned') values.status = 'new';
        else problems.push({ field: '/body/assignee', message: `cannot be taken away while the work is ${statusName(row.status)}; assign another crew instead` });
      }
    }
    if (changes.priority !== undefined) values.priority = changes.priority;
    if (changes.dueAt !== undefined) {
      const due = Date.parse(changes.dueAt);
      if (Number.isNaN(due)) problems.push({ field: '/body/dueAt', message: 'is not a time that exists' });
      else if (due < Date.parse(row.createdAt) - 366 * 86_400_000 || due > Date.now() + 5 * 366 * 86_400_000) {
        // Wide bounds: they catch a mistyped year (0026, 9999), not a dispatcher's judgement.
        problems.push({ field: '/body/dueAt', message: 'must fall within a year before the work order was made and five years from now' });
      } else values.dueAt = new Date(due).toISOString();
    }
    if (changes.description !== undefined) values.description = changes.description.trim();
    if (changes.tasks !== undefined) {
      const at = new Date().toISOString();
      changes.tasks.forEach((t, i) => {
        if (t.text.trim() === '') problems.push({ field: `/body/tasks/${i}/text`, message: 'must not be empty' });
      });
      values.tasks = changes.tasks.map((t, i): Task => {
        const before = row.tasks[i];
        const same = before !== undefined && before.text === t.text.trim() && before.done === t.done;
        return same ? before : { text: t.text.trim(), done: t.done, doneAt: t.done ? at : null, doneBy: t.done ? actor.label : null };
      });
    }
    assertNoProblems(problems);
    return view(tx, saveWorkOrder(tx, actor, row, values, 'work_order.updated'), options);
  });
}

/**
 * Moves a work order along its life. On hold needs a reason; completed and cancelled need the
 * resolution, which every request on it is closed with and every caller who asked is told.
 */
export function moveWorkOrder(db: Db, actor: Actor, number: string, input: { version: number; status: WorkOrderStatus; note?: string }, options: WorkOrderOptions): WorkOrderView {
  return db.transaction((tx) => {
    const row = findWorkOrder(tx, number);
    checkVersion(row, input.version);
    const to = input.status;
    if (!moves[row.status].includes(to)) {
      const allowed = moves[row.status];
      throw new DomainError('INVALID_STATE', `${row.number} is ${statusName(row.status)}; it cannot become ${statusName(to)}${allowed.length ? ` (it can become ${allowed.map(statusName).join(', ')})` : isOpen(row.status) ? '' : ' — reopen it first'}.`, [
        { field: '/body/status', message: `cannot follow ${statusName(row.status)}` },
      ]);
    }
    const note = (input.note ?? '').trim();
    if (to === 'assigned' && row.assignee === '') throw fieldError('/body/status', 'needs a crew or person first: set the assignee');
    if ((to === 'completed' || to === 'cancelled') && note === '') throw fieldError('/body/note', `is required: ${to === 'completed' ? 'what was done' : 'why no work will be done'} — every caller is told`);
    if (to === 'on_hold' && note === '') throw fieldError('/body/note', 'is required: what the work waits for');
    const at = new Date().toISOString();
    const values: Partial<WorkOrderRow> = { status: to };
    if (to === 'completed' || to === 'cancelled') Object.assign(values, { resolution: note, closedAt: at });
    if (note !== '' && to !== 'completed' && to !== 'cancelled') tx.insert(workOrderNotes).values({ workOrderId: row.id, authorId: actor.userId, text: `${statusName(to)}: ${note}`, at }).run();
    const after = saveWorkOrder(tx, actor, row, values, `work_order.${to}`);
    if (to === 'completed' || to === 'cancelled') closeRequestsOn(tx, actor, after);
    return view(tx, after, options);
  });
}

/** Closes every request still on the work order with its resolution; callers who asked are owed an answer. */
function closeRequestsOn(tx: Tx, actor: Actor, workOrder: WorkOrderRow): void {
  const open = tx.select().from(customerRequests).where(and(eq(customerRequests.workOrderId, workOrder.id), eq(customerRequests.status, 'in_progress'))).orderBy(asc(customerRequests.id)).all();
  for (const request of open) {
    const closed = saveRequest(tx, actor, request, { status: 'closed', closedAt: workOrder.closedAt, resolution: workOrder.resolution }, 'request.closed');
    if (closed.replyWanted && closed.replyMethod !== null) oweAnswer(tx, closed, workOrder);
  }
}

/** A closed work order comes back within the reopen period: its requests are open again. */
export function reopenWorkOrder(db: Db, actor: Actor, number: string, input: { version: number; reason: string }, options: WorkOrderOptions): WorkOrderView {
  return db.transaction((tx) => {
    const row = findWorkOrder(tx, number);
    checkVersion(row, input.version);
    if (isOpen(row.status)) throw new DomainError('INVALID_STATE', `${row.number} is ${statusName(row.status)}, not closed; there is nothing to reopen.`);
    if (row.duplicateOfId !== null) throw new DomainError('INVALID_STATE', `${row.number} was merged into another work order; work on that one instead.`);
    const until = reopenUntil(row, options)!;
    if (until <= new Date().toISOString()) throw new DomainError('INVALID_STATE', `${row.number} closed more than ${options.reopenDays} days ago (${row.closedAt}); make a new work order instead.`);
    const reason = input.reason.trim();
    if (reason === '') throw fieldError('/body/reason', 'is required: why the work is not done');
    const at = new Date().toISOString();
    tx.insert(workOrderNotes).values({ workOrderId: row.id, authorId: actor.userId, text: `reopened: ${reason}`, at }).run();
    const after = saveWorkOrder(tx, actor, row, { status: row.assignee === '' ? 'new' : 'assigned', closedAt: null, resolution: '' }, 'work_order.reopened', { reason });
    const closedWithIt = tx.select().from(customerRequests).where(and(eq(customerRequests.workOrderId, row.id), eq(customerRequests.status, 'closed'), eq(customerRequests.closedAt, row.closedAt!))).all();
    for (const request of closedWithIt) {
      saveRequest(tx, actor, request, { status: 'in_progress', closedAt: null, resolution: '' }, 'request.reopened');
      withdrawAnswers(tx, actor, request.id, row.id, `the work order was reopened before this was sent: ${reason}`);
    }
    return view(tx, after, options);
  });
}

export function addNote(db: Db, actor: Actor, number: string, text: string, options: WorkOrderOptions): WorkOrderView {
  return db.transaction((tx) => {
    const row = findWorkOrder(tx, number);
    const note = text.trim();
    if (note === '') throw fieldError('/body/text', 'must not be empty');
    tx.insert(workOrderNotes).values({ workOrderId: row.id, authorId: actor.userId, text: note, at: new Date().toISOString() }).run();
    recordAudit(tx, actor, { entityType: 'work_order', entityId: row.number, action: 'work_order.note_added', after: { note } });
    return view(tx, row, options);
  });
}

/** The requests of `number` move to `into`; `number` closes as a duplicate of it. */
export function mergeWorkOrder(db: Db, actor: Actor, number: string, input: { version: number; into: string }, options: WorkOrderOptions): { merged: WorkOrderView; into: WorkOrderView } {
  return db.transaction((tx) => {
    const row = findWorkOrder(tx, number);
    checkVersion(row, input.version);
    assertOpen(row, 'merged');
    const target = findWorkOrder(tx, input.into);
    if (target.id === row.id) throw fieldError('/body/into', 'is this work order itself; name the one it duplicates');
    if (!isOpen(target.status)) throw new DomainError('INVALID_STATE', `${target.number} is ${statusName(target.status)}; merge into an open work order.`, [{ field: '/body/into', message: 'is closed' }]);
    const moving = tx.select().from(customerRequests).where(and(eq(customerRequests.workOrderId, row.id), eq(customerRequests.status, 'in_progress'))).all();
    for (const request of moving) {
      saveRequest(tx, actor, request, { workOrderId: target.id }, 'request.moved');
    }
    const at = new Date().toISOString();
    const merged = saveWorkOrder(tx, actor, row, { status: 'cancelled', duplicateOfId: target.id, resolution: `Duplicate of ${target.number}`, closedAt: at }, 'work_order.merged');
    recordAudit(tx, actor, { entityType: 'work_order', entityId: target.number, action: 'work_order.merged_in', after: { from: row.number, requests: moving.map((r) => r.number) } });
    return { merged: view(tx, merged, options), into: view(tx, touch(tx, target), options) };
  });
}

/** One request leaves the work order for a new one of its own (it was a different problem). */
export function splitRequest(db: Db, actor: Actor, number: string, input: { version: number; request: string; reason: string }, options: WorkOrderOptions): { from: WorkOrderView; to: WorkOrderView } {
  return db.transaction((tx) => {
    const row = findWorkOrder(tx, number);
    checkVersion(row, input.version);
    assertOpen(row, 'split');
    const request = findRow(tx, input.request);
    if (request.workOrderId !== row.id || request.status !== 'in_progress') throw fieldError('/body/request', `is not an open request on ${row.number} (${input.request})`);
    const reason = input.reason.trim();
    if (reason === '') throw fieldError('/body/reason', 'is required: why it is a different problem');
    const others = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM customer_requests WHERE work_order_id = ${row.id} AND status = 'in_progress' AND id <> ${request.id}`)!.n;
    if (others === 0) throw fieldError('/body/request', `is the only open request on ${row.number}; there is nothing to split it from`);
    const created = createWorkOrder(tx, actor, request, new Date());
    saveRequest(tx, actor, request, { workOrderId: created.id, newWorkReason: `split from ${row.number}: ${reason}` }, 'request.moved');
    recordAudit(tx, actor, { entityType: 'work_order', entityId: row.number, action: 'work_order.split', after: { request: request.number, to: created.number, reason } });
    return { from: view(tx, touch(tx, row), options), to: view(tx, created, options) };
  });
}
