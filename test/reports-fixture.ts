// The known set the reports' tests assert on, written straight into the tables at chosen instants (the
// services make records "now"): requests, work orders, answers owed and knowledge-base events around
// the city's midnights and the change to summer time on 8 March 2026 (America/New_York).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { hierarchyNodes } from '../db/schema/hierarchy.ts';
import { customerRequests, interactions, type Channel, type Classification } from '../db/schema/intake.ts';
import { kbArticleEvents, kbArticles, kbFeedback, kbSearchMisses } from '../db/schema/kb.ts';
import { answersOwed } from '../db/schema/outbox.ts';
import { workOrders } from '../db/schema/work-orders.ts';
import { getNode } from '../server/hierarchy/service.ts';

interface Place {
  id: number;
  classification: Classification;
  categoryId: number;
  providerId: number;
  departmentId: number;
}

function placeOf(db: Db, code: string): Place {
  const node = getNode(db, code);
  const id = (code: string) => db.select({ id: hierarchyNodes.id }).from(hierarchyNodes).where(eq(hierarchyNodes.code, code)).get()!.id;
  const [department, provider, category] = node.path;
  return {
    id: id(code),
    classification: { code, name: node.name, path: node.path.map((p) => ({ level: p.level, code: p.code, name: p.name })) },
    categoryId: id(category!.code),
    providerId: id(provider!.code),
    departmentId: id(department!.code),
  };
}

const seconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString();
let serial = 0;

interface RequestSpec {
  type: 'information' | 'action' | 'comment' | null;
  channel: Channel;
  status: 'open' | 'ready' | 'in_progress' | 'awaiting_reply' | 'closed' | 'cancelled';
  at: string;
  /** Seconds the contact lasted; none: still being taken. */
  lasted?: number;
  code?: Place;
  workOrderId?: number;
  resolved?: boolean;
  convertedAt?: string;
  commentKind?: 'compliment' | 'complaint' | 'suggestion' | 'other';
  replyWanted?: boolean;
}

function addRequest(db: Db, spec: RequestSpec): number {
  const interactionId = db.insert(interactions).values({ channel: spec.channel, startedAt: spec.at }).returning({ id: interactions.id }).get().id;
  const ended = spec.lasted === undefined ? null : seconds(spec.at, spec.lasted);
  return db
    .insert(customerRequests)
    .values({
      number: `2026-${String(++serial).padStart(6, '0')}`,
      interactionId,
      channel: spec.channel,
      type: spec.type,
      status: spec.status,
      answers: {},
      resolvedAtFirstContact: spec.resolved ?? null,
      convertedAt: spec.convertedAt ?? null,
      problemCodeId: spec.code?.id ?? null,
      classification: spec.code?.classification ?? null,
      workOrderId: spec.workOrderId ?? null,
      commentKind: spec.commentKind ?? null,
      replyWanted: spec.replyWanted ?? false,
      startedAt: spec.at,
      endedAt: ended,
      closedAt: ['closed', 'cancelled'].includes(spec.status) ? (ended ?? spec.at) : null,
      updatedAt: ended ?? spec.at,
    })
    .returning({ id: customerRequests.id })
    .get().id;
}

interface WorkOrderSpec {
  code: Place;
  status: 'new' | 'assigned' | 'in_progress' | 'on_hold' | 'completed' | 'cancelled';
  created: string;
  due: string;
  closed?: string;
  duplicateOfId?: number;
}

function addWorkOrder(db: Db, spec: WorkOrderSpec): number {
  const { code } = spec;
  return db
    .insert(workOrders)
    .values({
      number: `W2026-${String(++serial).padStart(6, '0')}`,
      problemCodeId: code.id,
      categoryId: code.categoryId,
      providerId: code.providerId,
      departmentId: code.departmentId,
      classification: code.classification,
      workType: 'Repair',
      priority: 'normal',
      status: spec.status,
      tasks: [],
      dueAt: spec.due,
      duplicateOfId: spec.duplicateOfId ?? null,
      createdAt: spec.created,
      updatedAt: spec.closed ?? spec.created,
      closedAt: spec.closed ?? null,
    })
    .returning({ id: workOrders.id })
    .get().id;
}

function addArticle(db: Db, slug: string, title: string): number {
  const at = '2026-01-05T12:00:00.000Z';
  return db
    .insert(kbArticles)
    .values({ slug, title, phones: [], links: [], keywords: [], language: 'en', audience: 'desk', status: 'published', createdAt: at, updatedAt: at })
    .returning({ id: kbArticles.id })
    .get().id;
}

/**
 * The period asked about is 1–10 March 2026 in Boston. Requests (UTC instants; EST is UTC−5 until
 * 8 March 07:00 UTC, EDT UTC−4 after):
 *   A info phone closed, resolved at first contact, 300 s     2 Mar 14:00
 *   B info phone closed, not resolved at first contact, 600 s 2 Mar 15:00
 *   C info converted to action, e-mail, pothole, WO1, 120 s  3 Mar 12:00
 *   D action web, pothole, WO1                                3 Mar 13:00
 *   E action mobile app, heat (ISD), WO2                      4 Mar 16:00
 *   F comment (complaint) walk-in, 240 s   8 Mar 04:30 UTC = 7 Mar 23:30 in Boston
 *   G comment (compliment) mail, reply owed, 60 s   9 Mar 03:30 UTC = 8 Mar 23:30 in Boston
 *   H action phone, pothole, on WO1, cancelled                4 Mar 10:00
 *   I info phone  11 Mar 04:30 UTC = 11 Mar 00:30 in Boston: after the period
 *   J info phone   1 Mar 04:59 UTC = 28 Feb 23:59 in Boston: before it
 *   K not yet typed, phone, still being taken                 5 Mar 15:00
 *   L action phone, pothole, WO3, 180 s                       6 Mar 15:00
 *   M action phone, pothole, WO4                             20 Feb 15:00 (before)
 * Work orders:
 *   WO1 pothole, made 3 Mar 12:10, completed 5 Mar 12:10 (48 h), due 6 Mar: on time
 *   WO2 heat, made 4 Mar 16:10, completed 8 Mar 20:10 (100 h), due 5 Mar: late
 *   WO3 pothole, made 6 Mar 15:10, in progress, due 7 Mar: overdue
 *   WO4 pothole, made 20 Feb 15:10, completed 2 Mar 15:10 (240 h), due 25 Feb: late
 *   WO5 pothole, made 9 Mar 15:00, cancelled 9 Mar 16:00, no callers
 *   WO6 pothole, made 3 Mar 12:30, merged into WO1 13:00: counted nowhere
 *   WO7 heat, made 10 Mar 12:00, new, due in 2099
 */
export function knownSet(db: Db): void {
  const pothole = placeOf(db, 'S0301');
  const heat = placeOf(db, 'HEAT');
  const wo1 = addWorkOrder(db, { code: pothole, status: 'completed', created: '2026-03-03T12:10:00.000Z', closed: '2026-03-05T12:10:00.000Z', due: '2026-03-06T12:10:00.000Z' });
  const wo2 = addWorkOrder(db, { code: heat, status: 'completed', created: '2026-03-04T16:10:00.000Z', closed: '2026-03-08T20:10:00.000Z', due: '2026-03-05T16:10:00.000Z' });
  const wo3 = addWorkOrder(db, { code: pothole, status: 'in_progress', created: '2026-03-06T15:10:00.000Z', due: '2026-03-07T15:10:00.000Z' });
  const wo4 = addWorkOrder(db, { code: pothole, status: 'completed', created: '2026-02-20T15:10:00.000Z', closed: '2026-03-02T15:10:00.000Z', due: '2026-02-25T15:10:00.000Z' });
  addWorkOrder(db, { code: pothole, status: 'cancelled', created: '2026-03-09T15:00:00.000Z', closed: '2026-03-09T16:00:00.000Z', due: '2026-03-12T15:00:00.000Z' });
  addWorkOrder(db, { code: pothole, status: 'cancelled', created: '2026-03-03T12:30:00.000Z', closed: '2026-03-03T13:00:00.000Z', due: '2026-03-06T12:30:00.000Z', duplicateOfId: wo1 });
  addWorkOrder(db, { code: heat, status: 'new', created: '2026-03-10T12:00:00.000Z', due: '2099-01-01T00:00:00.000Z' });

  addRequest(db, { type: 'information', channel: 'phone', status: 'closed', at: '2026-03-02T14:00:00.000Z', lasted: 300, resolved: true });
  addRequest(db, { type: 'information', channel: 'phone', status: 'closed', at: '2026-03-02T15:00:00.000Z', lasted: 600, resolved: false });
  addRequest(db, { type: 'action', channel: 'email', status: 'in_progress', at: '2026-03-03T12:00:00.000Z', lasted: 120, resolved: false, convertedAt: '2026-03-03T12:01:00.000Z', code: pothole, workOrderId: wo1 });
  addRequest(db, { type: 'action', channel: 'web', status: 'in_progress', at: '2026-03-03T13:00:00.000Z', lasted: 0, code: pothole, workOrderId: wo1 });
  const e = addRequest(db, { type: 'action', channel: 'mobile_app', status: 'closed', at: '2026-03-04T16:00:00.000Z', lasted: 0, code: heat, workOrderId: wo2, replyWanted: true });
  addRequest(db, { type: 'comment', channel: 'walk_in', status: 'closed', at: '2026-03-08T04:30:00.000Z', lasted: 240, commentKind: 'complaint' });
  addRequest(db, { type: 'comment', channel: 'mail', status: 'awaiting_reply', at: '2026-03-09T03:30:00.000Z', lasted: 60, commentKind: 'compliment', replyWanted: true });
  addRequest(db, { type: 'action', channel: 'phone', status: 'cancelled', at: '2026-03-04T10:00:00.000Z', lasted: 90, code: pothole, workOrderId: wo1 });
  addRequest(db, { type: 'information', channel: 'phone', status: 'closed', at: '2026-03-11T04:30:00.000Z', lasted: 30, resolved: true });
  addRequest(db, { type: 'information', channel: 'phone', status: 'closed', at: '2026-03-01T04:59:00.000Z', lasted: 30, resolved: true });
  addRequest(db, { type: null, channel: 'phone', status: 'open', at: '2026-03-05T15:00:00.000Z' });
  addRequest(db, { type: 'action', channel: 'phone', status: 'in_progress', at: '2026-03-06T15:00:00.000Z', lasted: 180, code: pothole, workOrderId: wo3 });
  addRequest(db, { type: 'action', channel: 'phone', status: 'closed', at: '2026-02-20T15:00:00.000Z', lasted: 100, code: pothole, workOrderId: wo4 });

  const answer = { requestId: e, workOrderId: wo2, method: 'email' as const, to: 'maria.delgado@example.org', subject: 'Your request', text: 'Done.' };
  db.insert(answersOwed).values({ ...answer, createdAt: '2026-03-08T20:10:00.000Z' }).run();
  db.insert(answersOwed).values({ ...answer, status: 'done', createdAt: '2026-03-08T20:10:00.000Z', doneAt: '2026-03-09T10:00:00.000Z' }).run();

  const trash = addArticle(db, 'trash-day', 'Trash day');
  const lodz = addArticle(db, 'lodz-sister-city', 'Łódź, our sister city');
  const permits = addArticle(db, 'parking-permits', 'Parking permits');
  const event = (articleId: number, kind: 'view' | 'use', at: string) => db.insert(kbArticleEvents).values({ articleId, kind, channel: 'desk', at }).run();
  for (const day of ['02', '03', '04']) event(trash, 'use', `2026-03-${day}T15:00:00.000Z`);
  event(trash, 'view', '2026-03-02T15:00:00.000Z');
  event(lodz, 'use', '2026-03-05T15:00:00.000Z');
  event(lodz, 'view', '2026-03-05T15:00:00.000Z');
  event(lodz, 'view', '2026-03-06T15:00:00.000Z');
  event(permits, 'use', '2026-03-05T15:00:00.000Z');
  event(permits, 'view', '2026-02-27T15:00:00.000Z');
  const feedback = (articleId: number, useful: boolean, at: string) => db.insert(kbFeedback).values({ articleId, useful, channel: 'desk', at }).run();
  feedback(trash, true, '2026-03-02T15:00:00.000Z');
  feedback(trash, true, '2026-03-03T15:00:00.000Z');
  feedback(trash, false, '2026-03-04T15:00:00.000Z');
  feedback(lodz, false, '2026-03-05T15:00:00.000Z');
  feedback(permits, true, '2026-03-05T15:00:00.000Z');
  feedback(permits, false, '2026-02-27T15:00:00.000Z');
  const miss = (query: string, folded: string, channel: 'desk' | 'portal', at: string) => db.insert(kbSearchMisses).values({ query, folded, channel, at }).run();
  miss('żółw', 'zolw', 'desk', '2026-03-03T15:00:00.000Z');
  miss('Żółw', 'zolw', 'portal', '2026-03-04T15:00:00.000Z');
  miss('=HYPERLINK("http://x.example","win")', '=hyperlink("http://x.example","win")', 'portal', '2026-03-05T15:00:00.000Z');
  miss('snow', 'snow', 'desk', '2026-02-27T15:00:00.000Z');
}

const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

/**
 * A second known set, for April 2026 in Boston (EDT, UTC−4: the period runs from 1 April 04:00 UTC to
 * 1 May 04:00 UTC), for what the reports count kind by kind and rank in index order. Requests:
 *   R1 info fax closed, resolved, 50 s          at the period's first instant (counted, on 1 April)
 *   R2 info phone closed, 10 s                  at the period's end instant (not counted)
 *   R3 comment (suggestion) web, 30 s           1 ms before 2 April in Boston (on 1 April)
 *   R4 comment (other) Open311                  at 2 April's first instant
 *   R5 e-mail, converted, then made a comment (other) before completing it, 70 s   5 April
 *   R6 phone, converted to action, then cancelled                                  6 April
 *   R7–R11 action, pothole, on WO-A: phone 100 s, web, mobile app, Open311, e-mail 200 s   10 April
 *   R12 action walk-in, pothole, on WO-A, cancelled, 40 s                          10 April
 * Work orders, made in April (none has a caller but WO-A):
 *   WO-A pothole, in progress: 5 callers (R12 cancelled)
 *   ten potholes completed in 5, 1, 9, 3, 10, 7, 2, 8, 4, 6 hours, in that order of creation (due in 6 h)
 *   one more pothole completed in ½ h but merged into the first; one completed in 1 h at the period's end instant
 *   two heat work orders completed in 30 and 12 hours (due in 24 h); one sidewalk repair in 100 hours (due in 1 h)
 * The knowledge base: one view of "Trash day" on 3 April.
 */
export function aprilSet(db: Db): void {
  const pothole = placeOf(db, 'S0301');
  const heat = placeOf(db, 'HEAT');
  const sidewalk = placeOf(db, 'SIDEWALK_REPAIR');
  const woA = addWorkOrder(db, { code: pothole, status: 'in_progress', created: '2026-04-10T11:00:00.000Z', due: '2099-01-01T00:00:00.000Z' });
  const completed = (code: Place, created: string, hours: number, dueIn: number, duplicateOfId?: number) =>
    addWorkOrder(db, { code, status: 'completed', created, closed: hoursAfter(created, hours), due: hoursAfter(created, dueIn), duplicateOfId });
  const potholes = [5, 1, 9, 3, 10, 7, 2, 8, 4, 6].map((hours, i) => completed(pothole, `2026-04-${String(12 + i).padStart(2, '0')}T13:00:00.000Z`, hours, 6));
  completed(pothole, '2026-04-13T13:30:00.000Z', 0.5, 6, potholes[0]);
  completed(pothole, '2026-05-01T03:00:00.000Z', 1, 6);
  completed(heat, '2026-04-14T09:00:00.000Z', 30, 24);
  completed(heat, '2026-04-15T09:00:00.000Z', 12, 24);
  completed(sidewalk, '2026-04-16T09:00:00.000Z', 100, 1);

  addRequest(db, { type: 'information', channel: 'fax', status: 'closed', at: '2026-04-01T04:00:00.000Z', lasted: 50, resolved: true });
  addRequest(db, { type: 'information', channel: 'phone', status: 'closed', at: '2026-05-01T04:00:00.000Z', lasted: 10, resolved: true });
  addRequest(db, { type: 'comment', channel: 'web', status: 'closed', at: '2026-04-02T03:59:59.999Z', lasted: 30, commentKind: 'suggestion' });
  addRequest(db, { type: 'comment', channel: 'open311', status: 'closed', at: '2026-04-02T04:00:00.000Z', commentKind: 'other' });
  addRequest(db, { type: 'comment', channel: 'email', status: 'closed', at: '2026-04-05T14:00:00.000Z', lasted: 70, commentKind: 'other', convertedAt: '2026-04-05T14:00:30.000Z' });
  addRequest(db, { type: 'action', channel: 'phone', status: 'cancelled', at: '2026-04-06T14:00:00.000Z', lasted: 20, convertedAt: '2026-04-06T14:00:10.000Z' });
  const caller = (channel: Channel, minute: number, lasted?: number, status: 'in_progress' | 'cancelled' = 'in_progress') =>
    addRequest(db, { type: 'action', channel, status, at: `2026-04-10T12:${String(minute).padStart(2, '0')}:00.000Z`, lasted, code: pothole, workOrderId: woA });
  caller('phone', 0, 100);
  caller('web', 10);
  caller('mobile_app', 20);
  caller('open311', 30);
  caller('email', 40, 200);
  caller('walk_in', 50, 40, 'cancelled');

  const trash = db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.slug, 'trash-day')).get()!.id;
  db.insert(kbArticleEvents).values({ articleId: trash, kind: 'view', channel: 'portal', at: '2026-04-03T15:00:00.000Z' }).run();
}
