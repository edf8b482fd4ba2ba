// Customer requests: saved the moment a contact starts, then shaped by their type. The type decides
// which fields may and must be filled, and this service enforces it, whatever the form sent:
//   information — the question, the articles used, the answer; closed at the end of the contact.
//   action      — a problem code (classification kept as named then), a location, the code's
//                 answers, a description; then ready for its work order.
//   comment     — kind, what it is about, the text, and whether a reply is owed.
// Nothing is deleted: a request made by mistake is cancelled with a reason. Every change is audited.
import { and, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { perConnection, placeholders, type Db } from '../../db/connection.ts';
import { users } from '../../db/schema/accounts.ts';
import { addresses } from '../../db/schema/addresses.ts';
import { contacts, type ReplyMethod } from '../../db/schema/contacts.ts';
import { hierarchyNodes } from '../../db/schema/hierarchy.ts';
import {
  customerRequests,
  interactions,
  type Channel,
  type Classification,
  type CommentKind,
  type RequestStatus,
  type RequestType,
} from '../../db/schema/intake.ts';
import { kbArticleEvents, kbArticles } from '../../db/schema/kb.ts';
import { workOrderNotes, workOrders } from '../../db/schema/work-orders.ts';
import { listAudit, recordAudit, type Actor } from '../audit/service.ts';
import { assertNoProblems, DomainError, fieldError, type FieldProblem } from '../errors.ts';
import type { Question } from '../hierarchy/files.ts';
import { contactQuery } from '../contacts/search.ts';
import { getNode } from '../hierarchy/service.ts';
import { once, type Idempotent } from '../idempotency.ts';
import { nextNumber } from '../numbers.ts';
import { queryTerms } from '../search/fold.ts';
import { answerProblems, cleanAnswers } from './answers.ts';

export type RequestRow = typeof customerRequests.$inferSelect;
export type Tx = Db;
type Reader = Db;

/** Channels a clerk records; the others arrive through the portal and the Open311 API. */
export const deskChannels = ['phone', 'email', 'fax', 'walk_in', 'mail'] as const satisfies readonly Channel[];
const editable: RequestStatus[] = ['open', 'ready'];

const typeName: Record<RequestType, string> = { information: 'information requests', action: 'action requests', comment: 'comments' };
/** The fields that belong to some types only; the rest (contact, description) belong to every type. */
const typesOf: Record<string, RequestType[]> = {
  answer: ['information'],
  resolvedAtFirstContact: ['information'],
  problemCode: ['action'],
  answers: ['action'],
  location: ['action'],
  commentKind: ['comment'],
  about: ['comment'],
  // An information request is answered during the call; action requests and comments can owe a reply.
  replyWanted: ['action', 'comment'],
  replyMethod: ['action', 'comment'],
  replyTo: ['action', 'comment'],
};

export interface LocationInput {
  addressId?: number | null;
  text?: string;
  latitude?: number | null;
  longitude?: number | null;
}

export interface RequestChanges {
  version: number;
  type?: RequestType;
  contactId?: number | null;
  description?: string;
  answer?: string;
  resolvedAtFirstContact?: boolean;
  problemCode?: string | null;
  answers?: Record<string, unknown>;
  location?: LocationInput | null;
  commentKind?: 'compliment' | 'complaint' | 'suggestion' | 'other' | null;
  about?: string | null;
  replyWanted?: boolean;
  replyMethod?: ReplyMethod | null;
  replyTo?: string;
}

// ---------------------------------------------------------------------------------------------
// Reading

const placeholder = sql.placeholder;

/** The reads every desk request makes, built once per connection. */
const reads = perConnection((db) => ({
  requestByNumber: db.select().from(customerRequests).where(eq(customerRequests.number, placeholder('number'))).prepare(),
  requestById: db.select().from(customerRequests).where(eq(customerRequests.id, placeholder('id'))).prepare(),
  clerk: db.select({ id: users.id, username: users.username, displayName: users.displayName }).from(users).where(eq(users.id, placeholder('id'))).prepare(),
  node: db.select({ code: hierarchyNodes.code, name: hierarchyNodes.name, level: hierarchyNodes.level, status: hierarchyNodes.status }).from(hierarchyNodes).where(eq(hierarchyNodes.id, placeholder('id'))).prepare(),
  nodeById: db.select().from(hierarchyNodes).where(eq(hierarchyNodes.id, placeholder('id'))).prepare(),
  nodeByCode: db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, placeholder('code'))).prepare(),
  contact: db.select().from(contacts).where(eq(contacts.id, placeholder('id'))).prepare(),
  address: db.select().from(addresses).where(eq(addresses.id, placeholder('id'))).prepare(),
  workOrder: db
    .select({ number: workOrders.number, status: workOrders.status, dueAt: workOrders.dueAt, assignee: workOrders.assignee })
    .from(workOrders)
    .where(eq(workOrders.id, placeholder('id')))
    .prepare(),
  articlesUsed: db
    .selectDistinct({ slug: kbArticles.slug, title: kbArticles.title })
    .from(kbArticleEvents)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleEvents.articleId))
    .where(and(eq(kbArticleEvents.requestId, placeholder('id')), eq(kbArticleEvents.kind, 'use')))
    .orderBy(kbArticles.title)
    .prepare(),
  siblings: db
    .select({ number: customerRequests.number, type: customerRequests.type, status: customerRequests.status })
    .from(customerRequests)
    .where(eq(customerRequests.interactionId, placeholder('id')))
    .orderBy(customerRequests.id)
    .prepare(),
  articleUses: db.select({ n: count() }).from(kbArticleEvents).where(and(eq(kbArticleEvents.requestId, placeholder('id')), eq(kbArticleEvents.kind, 'use'))).prepare(),
}));

export function findRow(db: Reader, number: string): RequestRow {
  const row = reads(db).requestByNumber.get({ number });
  if (!row) throw new DomainError('NOT_FOUND', `There is no customer request ${number}.`);
  return row;
}

/** A problem code's questions, in order, as it defines them now. */
function questionsOf(db: Reader, code: string): Question[] {
  const settings = getNode(db, code).settings as { questions?: Question[] };
  return [...(settings.questions ?? [])].sort((a, b) => a.order - b.order);
}

function contactSummary(db: Reader, id: number | null) {
  if (id === null) return null;
  const c = reads(db).contact.get({ id });
  return c ? { id: c.id, name: c.name, organisation: c.organisation, phones: c.phones, emails: c.emails, postalAddress: c.postalAddress, preferredReply: c.preferredReply } : null;
}

function nodeSummary(db: Reader, id: number | null) {
  if (id === null) return null;
  return reads(db).node.get({ id }) ?? null;
}

function workOrderSummary(db: Reader, id: number | null) {
  if (id === null) return null;
  return reads(db).workOrder.get({ id }) ?? null;
}

export type RequestView = ReturnType<typeof requestView>;

/** What the desk shows of a request (its row read already, in the same transaction). */
export function requestView(db: Reader, row: RequestRow) {
  const clerk = row.clerkId === null ? null : (reads(db).clerk.get({ id: row.clerkId }) ?? null);
  const code = row.problemCodeId === null ? null : nodeSummary(db, row.problemCodeId);
  const notices = code ? questionsOf(db, code.code).filter((q) => !q.variable).map((q) => ({ code: q.code, description: q.description })) : [];
  const articles = reads(db).articlesUsed.all({ id: row.id });
  const siblings = reads(db).siblings.all({ id: row.interactionId });
  const hasLocation = row.addressId !== null || row.locationText !== '' || row.latitude !== null;
  return {
    number: row.number,
    type: row.type,
    status: row.status,
    channel: row.channel,
    source: row.source,
    clerk,
    interactionId: row.interactionId,
    contact: contactSummary(db, row.contactId),
    description: row.description,
    answer: row.answer,
    resolvedAtFirstContact: row.resolvedAtFirstContact,
    convertedAt: row.convertedAt,
    problemCode: code?.code ?? null,
    /** As it was named when the request was classified; `problemCodeStatus` says what it is now. */
    classification: row.classification,
    problemCodeStatus: code?.status ?? null,
    answers: row.answers,
    notices,
    location: hasLocation
      ? { addressId: row.addressId, text: row.locationText, latitude: row.latitude, longitude: row.longitude, verified: row.addressId !== null }
      : null,
    mediaUrl: row.mediaUrl,
    commentKind: row.commentKind,
    about: nodeSummary(db, row.aboutNodeId),
    replyWanted: row.replyWanted,
    replyMethod: row.replyMethod,
    replyTo: row.replyTo,
    replyText: row.replyText,
    repliedAt: row.repliedAt,
    articles,
    /** The work order an action request is on, and what the caller was promised and finally told. */
    workOrder: workOrderSummary(db, row.workOrderId),
    promisedAt: row.promisedAt,
    newWorkReason: row.newWorkReason,
    resolution: row.resolution,
    cancelReason: row.cancelReason,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    closedAt: row.closedAt,
    updatedAt: row.updatedAt,
    version: row.version,
    /** Every request of the same contact (this one included), in the order they were made. */
    siblings,
  };
}

export function getRequest(db: Reader, number: string): RequestView {
  return requestView(db, findRow(db, number));
}

/** The stored fields worth showing in a history entry (ids are shown as what they point at). */
function audited(db: Reader, row: RequestRow): Record<string, unknown> {
  const { id: _id, interactionId: _i, problemCodeId: _p, aboutNodeId: _a, updatedAt: _u, workOrderId, answers, classification, ...rest } = row;
  return {
    ...rest,
    workOrder: workOrderSummary(db, workOrderId)?.number ?? null,
    problemCode: classification?.code ?? null,
    classification: classification ? [...classification.path.map((p) => p.name), classification.name].join(' › ') : null,
    answers: Object.keys(answers).length > 0 ? answers : null,
    about: nodeSummary(db, row.aboutNodeId)?.code ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Creating

/** The rows every new contact writes, built once per connection. */
const writes = perConnection((db) => ({
  interaction: db
    .insert(interactions)
    .values(placeholders('channel', 'clerkId', 'startedAt'))
    .returning({ id: interactions.id })
    .prepare(),
  request: db
    .insert(customerRequests)
    .values({ ...placeholders('number', 'interactionId', 'channel', 'clerkId', 'contactId', 'startedAt'), answers: {}, updatedAt: placeholder('startedAt') })
    .returning()
    .prepare(),
}));

export interface NewRequest {
  channel?: Channel;
  /** Another request of the same contact: the new one shares its caller and channel. */
  sameContactAs?: string;
  contactId?: number | null;
}

/**
 * Saves a new customer request at once, before anything about it is known: number, channel, time,
 * clerk. `sameContactAs` makes the next request of the same call (one window: the caller is not
 * asked again).
 */
export function createRequest(db: Db, actor: Actor, input: NewRequest, idem: Idempotent): { request: RequestView; replayed: boolean } {
  return db.transaction((tx) => {
    const { id, replayed } = once(tx, 'customer_request', idem, () => insertRequest(tx, actor, input));
    return { request: requestView(tx, reads(tx).requestById.get({ id })!), replayed };
  });
}

function insertRequest(tx: Tx, actor: Actor, input: NewRequest): number {
  const problems: FieldProblem[] = [];
  let interactionId: number;
  let channel = input.channel;
  let contactId = input.contactId ?? null;
  if (input.sameContactAs !== undefined) {
    const first = reads(tx).requestByNumber.get({ number: input.sameContactAs });
    if (!first) throw fieldError('/body/sameContactAs', `names no customer request (${input.sameContactAs})`);
    if (first.clerkId !== actor.userId) throw fieldError('/body/sameContactAs', `is a contact another clerk took (${input.sameContactAs}); start a new contact instead`);
    if (channel !== undefined && channel !== first.channel) problems.push({ field: '/body/channel', message: `must be ${first.channel}, the channel of ${first.number}, or left out` });
    interactionId = first.interactionId;
    channel = first.channel;
    if (input.contactId === undefined) contactId = first.contactId;
  } else {
    if (channel === undefined) problems.push({ field: '/body/channel', message: 'is required: how the customer reached the city' });
    else if (!(deskChannels as readonly string[]).includes(channel)) problems.push({ field: '/body/channel', message: `${channel} is for requests that arrive through the portal or the Open311 API; the desk records ${deskChannels.join(', ')}` });
    interactionId = 0;
  }
  if (contactId !== null && !reads(tx).contact.get({ id: contactId })) {
    problems.push({ field: '/body/contactId', message: `names no caller (${contactId})` });
  }
  assertNoProblems(problems, 'The new request');

  const now = new Date();
  const at = now.toISOString();
  if (interactionId === 0) interactionId = writes(tx).interaction.get({ channel, clerkId: actor.userId, startedAt: at })!.id;
  const number = nextNumber(tx, 'customer_request', now);
  const row = writes(tx).request.get({ number, interactionId, channel, clerkId: actor.userId, contactId, startedAt: at })!;
  recordAudit(tx, actor, { entityType: 'customer_request', entityId: number, action: 'request.created', after: audited(tx, row) });
  return row.id;
}

/** A complete report of a problem that arrives without a clerk: the portal, an app, an Open311 partner. */
export interface Report {
  channel: 'web' | 'mobile_app' | 'open311';
  /** Who sent it: "portal", or the partner's name. */
  source: string;
  problemCode: string;
  answers: Record<string, unknown>;
  location: LocationInput;
  description: string;
  contactId: number | null;
  /** Where to tell the reporter when the work is done, when they asked to be told. */
  replyByEmail?: string | null;
  /** A link to a photo of the problem. */
  mediaUrl?: string | null;
  /** The token an Open311 partner is given with the number. */
  open311Token?: string | null;
}

/** What is wrong with a photo link, if anything: it must be a web address (http or https) of at most 2,000 characters. */
export function mediaUrlProblem(url: string | null): string | null {
  if (url === null) return null;
  if (url.length > 2000) return `is ${url.length} characters long; at most 2,000`;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? null : `must be a web address (http or https), not ${parsed.protocol}`;
  } catch {
    return `is not a web address (${url.slice(0, 80)})`;
  }
}

const replyByEmail = (to: string | null | undefined) => (to ? { replyWanted: true, replyMethod: 'email' as const, replyTo: to.trim() } : {});

/** A comment that arrives without a clerk (the portal): recorded at once, never work. */
export interface SubmittedComment {
  channel: 'web' | 'mobile_app';
  source: string;
  kind: CommentKind;
  text: string;
  contactId: number | null;
  /** The e-mail address to reply to, when the author wants a reply. */
  replyByEmail: string | null;
}

/** Saves a comment whole: closed at once, or awaiting the reply its author asked for. */
export function submitComment(db: Db, actor: Actor, comment: SubmittedComment): RequestView {
  const text = comment.text.trim();
  if (text === '') throw fieldError('/body/text', 'is required: what you want to tell the city');
  return db.transaction((tx) =>
    insertSubmitted(tx, actor, (at) => ({
      channel: comment.channel,
      source: comment.source,
      type: 'comment',
      commentKind: comment.kind,
      status: comment.replyByEmail ? 'awaiting_reply' : 'closed',
      contactId: comment.contactId,
      description: text,
      answers: {},
      ...replyByEmail(comment.replyByEmail),
      closedAt: comment.replyByEmail ? null : at,
    })),
  );
}

/** The problem code's place rule: a code that needs a location (most do) gets an address or coordinates. */
function placeProblem(db: Reader, code: { code: string; name: string }, place: { addressId: number | null; locationText: string; latitude: number | null }): FieldProblem | null {
  const needsLocation = (getNode(db, code.code).resolved?.value as { needsLocation?: boolean } | undefined)?.needsLocation ?? true;
  const placed = place.addressId !== null || place.locationText !== '' || place.latitude !== null;
  return needsLocation && !placed ? { field: '/body/location', message: `is required for ${code.name}: an address or coordinates` } : null;
}

export type ReportFields = Omit<Report, 'channel' | 'source' | 'contactId' | 'replyByEmail' | 'mediaUrl' | 'open311Token'>;

/** A report checked whole: its problems by field, and what was found on the way (to save it as checked). */
function checkReport(db: Reader, report: ReportFields) {
  let classified: ReturnType<typeof classify>;
  try {
    classified = classify(db, report.problemCode);
  } catch (error) {
    if (error instanceof DomainError) return { problems: error.details ?? [{ field: '/body/problemCode', message: error.message }] };
    throw error;
  }
  const locationProblems: FieldProblem[] = [];
  const located = locate(db, report.location, locationProblems);
  // No place at all is for the code's place rule to judge (below): some codes need none.
  const problems = locationProblems.filter((p) => p.field !== '/body/location');
  problems.push(...answerProblems(questionsOf(db, report.problemCode), report.answers, { complete: true, at: '/body/answers' }));
  const place = placeProblem(db, { code: report.problemCode, name: classified.classification.name }, located);
  if (place) problems.push(place);
  return { problems, classified, located };
}

/** What is wrong with a report, by field (`/body/problemCode`, `/body/answers/CODE`, `/body/location`…); nothing is written. */
export function reportProblems(db: Reader, report: ReportFields): FieldProblem[] {
  return checkReport(db, report).problems;
}

/**
 * Saves a report that came without a clerk as a complete action request, ready for its work order, in
 * one step: it is checked whole first (the code, its questions, the location), and nothing is written
 * when anything is wrong.
 */
export function submitReport(db: Db, actor: Actor, report: Report): RequestView {
  return db.transaction((tx) => {
    const { problems, classified, located } = checkReport(tx, report);
    assertNoProblems(problems, 'The report');
    const { id: problemCodeId, classification } = classified!;
    return insertSubmitted(tx, actor, () => ({
      channel: report.channel,
      source: report.source,
      type: 'action',
      status: 'ready',
      contactId: report.contactId,
      description: report.description.trim(),
      problemCodeId,
      classification,
      answers: cleanAnswers(report.answers),
      ...located,
      ...replyByEmail(report.replyByEmail),
      mediaUrl: report.mediaUrl ?? null,
      open311Token: report.open311Token ?? null,
    }));
  });
}

/** The fields of a request that arrives whole; the rest (number, interaction, times) are the moment it is saved. */
type SubmittedFields = Omit<typeof customerRequests.$inferInsert, 'number' | 'interactionId' | 'clerkId' | 'startedAt' | 'endedAt' | 'updatedAt'> & { channel: Channel };

/**
 * Saves a request that arrived whole, without a clerk (a report, a comment): an interaction of its own,
 * its number, started and ended now, audited as submitted. `fields` is given the moment, for fields
 * that are times too (a comment closed at once).
 */
function insertSubmitted(tx: Tx, actor: Actor, fields: (at: string) => SubmittedFields): RequestView {
  const now = new Date();
  const at = now.toISOString();
  const values = fields(at);
  const interactionId = tx.insert(interactions).values({ channel: values.channel, clerkId: null, startedAt: at }).returning({ id: interactions.id }).get().id;
  const row = tx
    .insert(customerRequests)
    .values({ ...values, number: nextNumber(tx, 'customer_request', now), interactionId, clerkId: null, startedAt: at, endedAt: at, updatedAt: at })
    .returning()
    .get();
  recordAudit(tx, actor, { entityType: 'customer_request', entityId: row.number, action: 'request.submitted', after: audited(tx, row) });
  return requestView(tx, row);
}

// ---------------------------------------------------------------------------------------------
// Changing

export function assertVersion(row: RequestRow, version: number): void {
  if (row.version !== version) {
    throw new DomainError('VERSION_CONFLICT', `${row.number} was changed since you opened it (now version ${row.version}); reload it and make your change again.`);
  }
}

export function assertStatus(row: RequestRow, allowed: RequestStatus[], doing: string): void {
  if (!allowed.includes(row.status)) {
    throw new DomainError('INVALID_STATE', `${row.number} is ${row.status.replace('_', ' ')}; it cannot be ${doing} now.`);
  }
}

function classify(tx: Reader, code: string): { id: number; classification: Classification } {
  const node = reads(tx).nodeByCode.get({ code });
  if (!node || node.level !== 'problem_code') throw fieldError('/body/problemCode', `names no problem code (${code})`);
  if (node.status !== 'active') {
    throw new DomainError('PROBLEM_CODE_RETIRED', `${code} (${node.name}) is retired and takes no new requests; choose another problem code.`, [
      { field: '/body/problemCode', message: 'is retired' },
    ]);
  }
  const detail = getNode(tx, code);
  return { id: node.id, classification: { code, name: detail.name, path: detail.path.map((p) => ({ level: p.level, code: p.code, name: p.name })) } };
}

function locate(tx: Reader, location: LocationInput, problems: FieldProblem[]) {
  const at = '/body/location';
  const { addressId = null, latitude = null, longitude = null } = location;
  let text = (location.text ?? '').trim();
  if ((latitude === null) !== (longitude === null)) problems.push({ field: `${at}/${latitude === null ? 'latitude' : 'longitude'}`, message: 'is needed with the other coordinate' });
  let coordinates = { latitude, longitude };
  if (addressId !== null) {
    const address = reads(tx).address.get({ id: addressId });
    if (!address) problems.push({ field: `${at}/addressId`, message: `names no address in the registry (${addressId})` });
    else {
      text = [address.number, address.street, address.unit].filter(Boolean).join(' ') + (address.postcode ? `, ${address.postcode}` : '');
      // Coordinates given with an address place the problem more exactly (across the street, mid-block).
      if (latitude === null) coordinates = { latitude: address.latitude, longitude: address.longitude };
    }
  } else if (text === '' && latitude === null) {
    problems.push({ field: at, message: 'needs an address from the registry, an address as told, or coordinates' });
  }
  return { addressId, locationText: text, ...coordinates };
}

/** What a request still lacks before it can be completed, by type. */
function completionProblems(tx: Reader, row: RequestRow, options: { codeMayBeRetired?: boolean } = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (row.type === null) return [{ field: '/body/type', message: 'is not chosen yet: information, action or comment' }];
  if (row.type === 'information') {
    if (row.description.trim() === '') problems.push({ field: '/body/description', message: 'is required: the question the customer asked' });
    const articles = reads(tx).articleUses.get({ id: row.id })!.n;
    if (row.answer.trim() === '' && articles === 0) problems.push({ field: '/body/answer', message: 'is required: the answer given, or a knowledge-base article used' });
  }
  if (row.type === 'action') {
    if (row.problemCodeId === null) problems.push({ field: '/body/problemCode', message: 'is required: what the problem is' });
    else {
      const node = reads(tx).nodeById.get({ id: row.problemCodeId })!;
      if (node.status !== 'active' && !options.codeMayBeRetired) {
        throw new DomainError('PROBLEM_CODE_RETIRED', `${node.code} (${node.name}) was retired since it was chosen; choose another problem code.`, [{ field: '/body/problemCode', message: 'is retired' }]);
      }
      const place = placeProblem(tx, node, row);
      if (place) problems.push(place);
      problems.push(...answerProblems(questionsOf(tx, node.code), row.answers, { complete: true, at: '/body/answers' }));
    }
  }
  if (row.type === 'comment') {
    if (row.commentKind === null) problems.push({ field: '/body/commentKind', message: 'is required: compliment, complaint, suggestion or other' });
    if (row.description.trim() === '') problems.push({ field: '/body/description', message: 'is required: what the customer said' });
  }
  if (row.replyWanted) {
    if (row.replyMethod === null) problems.push({ field: '/body/replyMethod', message: 'is required when a reply is wanted: e-mail, phone or letter' });
    else if (row.replyTo.trim() === '') problems.push({ field: '/body/replyTo', message: `is required: the ${row.replyMethod === 'email' ? 'e-mail address' : row.replyMethod === 'phone' ? 'phone number' : 'postal address'} to reply to` });
  }
  return problems;
}

/** Where to reply by `method`, taken from the caller's record when the clerk did not say. */
function replyAddressFromContact(tx: Reader, contactId: number | null, method: ReplyMethod | null): string {
  if (contactId === null || method === null) return '';
  const c = reads(tx).contact.get({ id: contactId });
  if (!c) return '';
  if (method === 'email') return c.emails[0] ?? '';
  if (method === 'phone') return c.phones[0]?.number ?? '';
  return c.postalAddress;
}

export function save(tx: Tx, actor: Actor, row: RequestRow, values: Partial<RequestRow>, action: string): RequestRow {
  // Read back with the prepared query: building RETURNING of every column anew cost more than the update.
  tx.update(customerRequests)
    .set({ ...values, version: row.version + 1, updatedAt: new Date().toISOString() })
    .where(eq(customerRequests.id, row.id))
    .run();
  const after = reads(tx).requestById.get({ id: row.id })!;
  recordAudit(tx, actor, { entityType: 'customer_request', entityId: row.number, action, before: audited(tx, row), after: audited(tx, after) });
  return after;
}

/**
 * Saves what the clerk filled in so far (the desk saves as it goes). Fields of another type than the
 * request's are refused by name; choosing another type while the request is open clears the fields
 * of the one before (the history keeps them). An action request that is ready must stay complete.
 */
export function updateRequest(db: Db, actor: Actor, number: string, changes: RequestChanges): RequestView {
  return db.transaction((tx) => {
    const row = findRow(tx, number);
    assertVersion(row, changes.version);
    assertStatus(row, editable, 'changed');
    const problems: FieldProblem[] = [];
    const type = changes.type ?? row.type;
    if (changes.type !== undefined && changes.type !== row.type && row.status !== 'open') {
      throw new DomainError('INVALID_STATE', `${row.number} is ${row.status}; its type can no longer change.`);
    }
    for (const [f, types] of Object.entries(typesOf)) {
      if ((changes as unknown as Record<string, unknown>)[f] === undefined || (type !== null && types.includes(type))) continue;
      const only = types.map((t) => typeName[t]).join(' and ');
      problems.push({ field: `/body/${f}`, message: type === null ? `is only for ${only}: choose the type first` : `is only for ${only}; this is one of the ${typeName[type]}` });
    }
    if (changes.type === 'information' && row.convertedAt !== null) problems.push({ field: '/body/type', message: 'cannot go back to information: this request was converted to an action request' });
    assertNoProblems(problems);

    const values: Partial<RequestRow> = {};
    if (changes.type !== undefined && changes.type !== row.type) {
      Object.assign(values, { type: changes.type }, clearedExcept(changes.type));
    }
    if (changes.contactId !== undefined) {
      if (changes.contactId !== null && !reads(tx).contact.get({ id: changes.contactId })) {
        problems.push({ field: '/body/contactId', message: `names no caller (${changes.contactId})` });
      }
      values.contactId = changes.contactId;
    }
    if (changes.description !== undefined) values.description = changes.description.trim();
    if (changes.answer !== undefined) values.answer = changes.answer.trim();
    if (changes.resolvedAtFirstContact !== undefined) values.resolvedAtFirstContact = changes.resolvedAtFirstContact;
    if (changes.problemCode !== undefined) {
      if (changes.problemCode === null) Object.assign(values, { problemCodeId: null, classification: null, answers: {} });
      else if (changes.problemCode !== row.classification?.code) {
        const { id, classification } = classify(tx, changes.problemCode);
        // Answers belong to the code they were given for.
        Object.assign(values, { problemCodeId: id, classification, answers: {} });
      }
    }
    if (changes.answers !== undefined) {
      const code = values.classification === undefined ? row.classification?.code : values.classification?.code;
      if (!code) problems.push({ field: '/body/answers', message: 'need a problem code first' });
      else {
        problems.push(...answerProblems(questionsOf(tx, code), changes.answers, { complete: false, at: '/body/answers' }));
        values.answers = cleanAnswers(changes.answers);
      }
    }
    if (changes.location !== undefined) {
      Object.assign(values, changes.location === null ? { addressId: null, locationText: '', latitude: null, longitude: null } : locate(tx, changes.location, problems));
    }
    if (changes.commentKind !== undefined) values.commentKind = changes.commentKind;
    if (changes.about !== undefined) {
      if (changes.about === null) values.aboutNodeId = null;
      else {
        const node = reads(tx).nodeByCode.get({ code: changes.about });
        if (!node || (node.level !== 'department' && node.level !== 'provider')) problems.push({ field: '/body/about', message: `names no department or service provider (${changes.about})` });
        else values.aboutNodeId = node.id;
      }
    }
    if (changes.replyWanted !== undefined) values.replyWanted = changes.replyWanted;
    if (changes.replyMethod !== undefined) values.replyMethod = changes.replyMethod;
    if (changes.replyTo !== undefined) values.replyTo = changes.replyTo.trim();
    assertNoProblems(problems);

    const merged = { ...row, ...values };
    if (merged.replyWanted && merged.replyMethod !== null && merged.replyTo === '' && changes.replyTo === undefined) {
      values.replyTo = replyAddressFromContact(tx, merged.contactId, merged.replyMethod);
    }
    // A ready request keeps the code it was given even if the code is retired since; only a new code must be active.
    if (row.status === 'ready') assertNoProblems(completionProblems(tx, { ...row, ...values }, { codeMayBeRetired: values.problemCodeId === undefined }), `${row.number} must stay complete: it`);
    return requestView(tx, save(tx, actor, row, values, 'request.updated'));
  });
}

/** The empty values of every type-specific field except those of `keep`. */
function clearedExcept(keep: RequestType): Partial<RequestRow> {
  const cleared: Partial<RequestRow> = {};
  if (keep !== 'information') Object.assign(cleared, { answer: '', resolvedAtFirstContact: null });
  if (keep === 'information') Object.assign(cleared, { replyWanted: false, replyMethod: null, replyTo: '' });
  if (keep !== 'action') Object.assign(cleared, { problemCodeId: null, classification: null, answers: {}, addressId: null, locationText: '', latitude: null, longitude: null });
  if (keep !== 'comment') Object.assign(cleared, { commentKind: null, aboutNodeId: null });
  return cleared;
}

/**
 * The clerk is done with the request: it is checked whole for its type, then an information request
 * closes (resolved at first contact unless the clerk said otherwise), an action request becomes ready
 * for its work order, and a comment closes, or waits in "replies owed" when a reply is wanted.
 */
export function completeRequest(db: Db, actor: Actor, number: string, input: { version: number }): RequestView {
  return db.transaction((tx) => {
    const row = findRow(tx, number);
    assertVersion(row, input.version);
    assertStatus(row, ['open'], 'completed');
    assertNoProblems(completionProblems(tx, row), `${row.number} cannot be completed yet: it`);
    const at = new Date().toISOString();
    const values: Partial<RequestRow> = { endedAt: at };
    if (row.type === 'information') Object.assign(values, { status: 'closed', closedAt: at, resolvedAtFirstContact: row.resolvedAtFirstContact ?? true });
    if (row.type === 'action') values.status = 'ready';
    if (row.type === 'comment') Object.assign(values, row.replyWanted ? { status: 'awaiting_reply' } : { status: 'closed', closedAt: at });
    return requestView(tx, save(tx, actor, row, values, 'request.completed'));
  });
}

/** An information request the customer now wants something done about becomes an action request. */
export function convertRequest(db: Db, actor: Actor, number: string, input: { version: number }): RequestView {
  return db.transaction((tx) => {
    const row = findRow(tx, number);
    assertVersion(row, input.version);
    if (row.type !== 'information') throw new DomainError('INVALID_STATE', `${row.number} is not an information request; only those are converted to action requests.`);
    assertStatus(row, ['open', 'closed'], 'converted');
    const values: Partial<RequestRow> = { type: 'action', status: 'open', convertedAt: new Date().toISOString(), closedAt: null, endedAt: null, resolvedAtFirstContact: false };
    return requestView(tx, save(tx, actor, row, values, 'request.converted'));
  });
}

export function cancelRequest(db: Db, actor: Actor, number: string, input: { version: number; reason: string }): RequestView {
  return db.transaction((tx) => {
    const row = findRow(tx, number);
    assertVersion(row, input.version);
    // A caller may withdraw a request on a work order; the work order goes on for the others.
    assertStatus(row, ['open', 'ready', 'in_progress', 'awaiting_reply'], 'cancelled');
    const reason = input.reason.trim();
    if (reason === '') throw fieldError('/body/reason', 'is required: why the request is cancelled');
    const at = new Date().toISOString();
    const after = save(tx, actor, row, { status: 'cancelled', cancelReason: reason, closedAt: at, endedAt: row.endedAt ?? at }, 'request.cancelled');
    if (row.workOrderId !== null) {
      const left = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM customer_requests WHERE work_order_id = ${row.workOrderId} AND status = 'in_progress'`)!.n;
      // The work may still be needed (the pothole is there), so the dispatcher decides; the queue says so.
      if (left === 0) {
        tx.insert(workOrderNotes).values({ workOrderId: row.workOrderId, authorId: actor.userId, text: `No caller is waiting any more: ${row.number}, the last request on it, was cancelled (${reason}). Decide whether the work is still needed.`, at }).run();
      }
    }
    return requestView(tx, after);
  });
}

/** Answers a comment that waits for a reply; it leaves the "replies owed" list and closes. */
export function replyToRequest(db: Db, actor: Actor, number: string, input: { version: number; text: string }): RequestView {
  return db.transaction((tx) => {
    const row = findRow(tx, number);
    assertVersion(row, input.version);
    assertStatus(row, ['awaiting_reply'], 'answered');
    const text = input.text.trim();
    if (text === '') throw fieldError('/body/text', 'is required: what was replied');
    const at = new Date().toISOString();
    return requestView(tx, save(tx, actor, row, { status: 'closed', replyText: text, repliedAt: at, closedAt: at }, 'request.replied'));
  });
}

// ---------------------------------------------------------------------------------------------
// Knowledge-base articles used to answer an information request

function articleFor(tx: Reader, slug: string) {
  const article = tx.select().from(kbArticles).where(eq(kbArticles.slug, slug)).get();
  if (!article || article.status !== 'published') throw fieldError('/body/slug', `names no published article (${slug})`);
  return article;
}

/** Records that an article answered the caller; an untyped request becomes an information request. */
export function addArticle(db: Db, actor: Actor, number: string, slug: string): RequestView {
  return db.transaction((tx) => {
    let row = findRow(tx, number);
    assertStatus(row, ['open'], 'given articles');
    if (row.type !== null && row.type !== 'information') throw new DomainError('INVALID_STATE', `${row.number} is not an information request; articles answer information requests.`);
    const article = articleFor(tx, slug);
    const used = tx.select({ id: kbArticleEvents.id }).from(kbArticleEvents).where(and(eq(kbArticleEvents.requestId, row.id), eq(kbArticleEvents.articleId, article.id), eq(kbArticleEvents.kind, 'use'))).get();
    if (used) return requestView(tx, row);
    tx.insert(kbArticleEvents).values({ articleId: article.id, kind: 'use', channel: 'desk', userId: actor.userId, requestId: row.id, at: new Date().toISOString() }).run();
    if (row.type === null) row = save(tx, actor, row, { type: 'information' }, 'request.updated');
    recordAudit(tx, actor, { entityType: 'customer_request', entityId: row.number, action: 'request.article_used', after: { article: slug } });
    return requestView(tx, row);
  });
}

export function removeArticle(db: Db, actor: Actor, number: string, slug: string): RequestView {
  return db.transaction((tx) => {
    const row = findRow(tx, number);
    assertStatus(row, ['open'], 'changed');
    const article = tx.select().from(kbArticles).where(eq(kbArticles.slug, slug)).get();
    const removed = article
      ? tx.delete(kbArticleEvents).where(and(eq(kbArticleEvents.requestId, row.id), eq(kbArticleEvents.articleId, article.id), eq(kbArticleEvents.kind, 'use'))).run().changes
      : 0;
    if (removed === 0) throw new DomainError('NOT_FOUND', `${slug} is not among the articles used for ${row.number}.`);
    recordAudit(tx, actor, { entityType: 'customer_request', entityId: row.number, action: 'request.article_removed', before: { article: slug } });
    return requestView(tx, row);
  });
}

// ---------------------------------------------------------------------------------------------
// Lists and history

export interface RequestQuery {
  /** A whole number, or its beginning ("2026-0042"). */
  number?: string;
  contactId?: number;
  /** Words of a caller's name, phone or e-mail. */
  caller?: string;
  /** Words of the location. */
  address?: string;
  type?: RequestType;
  status?: RequestStatus;
  channel?: Channel;
  from?: string;
  to?: string;
  /** Requests older than this number: the cursor of the next page (newest first). */
  before?: string;
  limit: number;
}

const matchQuery = (words: string[]) => words.map((w) => `"${w}"*`).join(' ');

export function listRequests(db: Db, query: RequestQuery) {
  const where: SQL[] = [];
  if (query.number) where.push(sql`${customerRequests.number} >= ${query.number} AND ${customerRequests.number} < ${query.number + '\u{10FFFF}'}`);
  if (query.contactId !== undefined) where.push(eq(customerRequests.contactId, query.contactId));
  if (query.caller) {
    const match = contactQuery(query.caller)?.match;
    if (match) where.push(sql`${customerRequests.contactId} IN (SELECT rowid FROM contact_search WHERE contact_search MATCH ${match})`);
  }
  if (query.address) {
    const words = queryTerms(query.address);
    const like = `%${query.address.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (words.length > 0) {
      where.push(sql`(${customerRequests.addressId} IN (SELECT rowid FROM address_search WHERE address_search MATCH ${matchQuery(words)}) OR ${customerRequests.locationText} LIKE ${like} ESCAPE '\\')`);
    }
  }
  if (query.type) where.push(eq(customerRequests.type, query.type));
  if (query.status) where.push(eq(customerRequests.status, query.status));
  if (query.channel) where.push(eq(customerRequests.channel, query.channel));
  const instant = (field: 'from' | 'to', text: string) => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw fieldError(`/querystring/${field}`, 'is not a time that exists');
    return new Date(ms).toISOString();
  };
  if (query.from) where.push(gte(customerRequests.startedAt, instant('from', query.from)));
  if (query.to) where.push(lte(customerRequests.startedAt, instant('to', query.to)));
  // Pages follow the order of creation (ids), which numbers keep only below a million a year.
  if (query.before) where.push(sql`${customerRequests.id} < (SELECT id FROM customer_requests WHERE number = ${query.before})`);
  const rows = db
    .select({
      number: customerRequests.number,
      type: customerRequests.type,
      status: customerRequests.status,
      channel: customerRequests.channel,
      description: customerRequests.description,
      classification: customerRequests.classification,
      locationText: customerRequests.locationText,
      contactId: customerRequests.contactId,
      contactName: contacts.name,
      replyWanted: customerRequests.replyWanted,
      replyMethod: customerRequests.replyMethod,
      replyTo: customerRequests.replyTo,
      startedAt: customerRequests.startedAt,
      closedAt: customerRequests.closedAt,
    })
    .from(customerRequests)
    .leftJoin(contacts, eq(contacts.id, customerRequests.contactId))
    .where(and(...where))
    .orderBy(desc(customerRequests.id))
    .limit(query.limit + 1)
    .all();
  const page = rows.slice(0, query.limit).map(({ description, classification, ...r }) => ({
    ...r,
    summary: description.length > 140 ? `${description.slice(0, 139)}…` : description,
    problemCode: classification?.code ?? null,
    problemName: classification?.name ?? null,
  }));
  return { items: page, nextBefore: rows.length > query.limit ? page.at(-1)!.number : null };
}

export function requestHistory(db: Db, number: string) {
  findRow(db, number);
  return listAudit(db, { entityType: 'customer_request', entityId: number, limit: 500 }).items.reverse();
}
