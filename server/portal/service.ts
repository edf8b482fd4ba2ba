// The public portal: a resident reports a problem, follows a request by its number, or sends a
// comment — without signing in. Reports go through the same checks, duplicate search and work orders as
// the desk and Open311 (server/intake/outside.ts); what a request shows the public is what Open311 shows.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { CommentKind } from '../../db/schema/intake.ts';
import { customerRequests } from '../../db/schema/intake.ts';
import type { Actor } from '../audit/service.ts';
import { assertNoProblems, DomainError, type FieldProblem } from '../errors.ts';
import { searchProblemCodes } from '../hierarchy/search.ts';
import { contactOfReporter, publicProblemCode, submitAndFile, type Reporter } from '../intake/outside.ts';
import { mediaUrlProblem, reportProblems, submitComment, type LocationInput } from '../intake/service.ts';
import { getServiceRequest } from '../open311/service.ts';
import type { WorkOrderOptions } from '../work-orders/service.ts';

/** Whoever uses the portal: nobody signed in. */
const portal: Actor = { userId: null, label: 'portal' };

export interface ServiceHit {
  code: string;
  name: string;
  /** Where it sits: "Public Works › Highway › Street repair". */
  path: string;
}

/** The public services whose names, keywords or places match the words typed. */
export function findServices(db: Db, q: string, limit: number): ServiceHit[] {
  return searchProblemCodes(db, q, { limit, publicOnly: true }).map((hit) => ({ code: hit.code, name: hit.name, path: hit.path }));
}

/** One public service, as the report form needs it. */
export function publicService(db: Db, code: string) {
  const service = publicProblemCode(db, code);
  if (!service) throw new DomainError('NOT_FOUND', `There is no service ${code} to report: search the services again.`);
  return {
    code: service.node.code,
    name: service.node.name,
    description: service.node.description,
    path: service.node.path.map((n) => n.name).join(' › '),
    questions: service.questions,
    needsLocation: service.needsLocation,
    turnaroundHours: service.turnaroundHours,
  };
}

export interface PortalReport {
  problemCode: string;
  answers: Record<string, unknown>;
  location: LocationInput;
  description: string;
  mediaUrl?: string | undefined;
  /** Absent for an anonymous report. */
  contact?: Reporter | undefined;
  /** E-mail the reporter when the work is done (needs contact.email). */
  notify?: boolean | undefined;
}

const contactNote = 'Reported on the public portal';

function replyProblems(contact: Reporter | undefined, notify: boolean | undefined, at = '/body/contact/email'): FieldProblem[] {
  return notify && !contact?.email?.trim() ? [{ field: at, message: 'is needed to tell you by e-mail; give it, or untick the box' }] : [];
}

/** Checks the report whole (every problem at once, nothing saved when there is one), saves it and files it. */
export function reportProblem(db: Db, report: PortalReport, options: WorkOrderOptions) {
  if (!publicProblemCode(db, report.problemCode)) {
    throw new DomainError('VALIDATION_FAILED', 'Choose the problem from the list of services.', [{ field: '/body/problemCode', message: `is not a service that can be reported (${report.problemCode})` }]);
  }
  const fields = { problemCode: report.problemCode, answers: report.answers, location: report.location, description: report.description };
  const problems = [...reportProblems(db, fields), ...replyProblems(report.contact, report.notify)];
  const mediaUrl = report.mediaUrl?.trim() || null;
  const media = mediaUrlProblem(mediaUrl);
  if (media) problems.push({ field: '/body/mediaUrl', message: media });
  assertNoProblems(problems, 'The report');

  const replyByEmail = report.notify ? report.contact!.email!.trim() : null;
  const by = report.contact ? { reporter: report.contact, notes: contactNote } : null;
  const { request } = submitAndFile(db, portal, { channel: 'web', source: 'portal', replyByEmail, mediaUrl, ...fields }, by, options);
  return {
    number: request.number,
    service: request.classification?.name ?? report.problemCode,
    /** The promise: when the city expects the work done. */
    expectedAt: request.promisedAt,
    notices: request.notices.map((n) => n.description),
    notify: replyByEmail !== null,
  };
}

export interface PortalComment {
  kind: CommentKind;
  text: string;
  contact?: Reporter | undefined;
  /** The author wants a reply by e-mail (needs contact.email). */
  replyWanted?: boolean | undefined;
}

export function sendComment(db: Db, comment: PortalComment) {
  assertNoProblems(replyProblems(comment.contact, comment.replyWanted), 'The comment');
  // The author and the comment are saved together, or neither.
  const saved = db.transaction((tx) => {
    const contactId = comment.contact ? contactOfReporter(tx, portal, comment.contact, contactNote) : null;
    return submitComment(tx, portal, {
      channel: 'web',
      source: 'portal',
      kind: comment.kind,
      text: comment.text,
      contactId,
      replyByEmail: comment.replyWanted ? comment.contact!.email!.trim() : null,
    });
  });
  return { number: saved.number, replyWanted: saved.replyWanted };
}

export interface TrackedNote {
  at: string;
  summary: string;
  description: string | null;
}

export interface Tracked {
  number: string;
  kind: 'problem' | 'question' | 'comment';
  service: string | null;
  status: 'open' | 'closed' | 'cancelled';
  /** In words: "Work in progress", "Closed: Duplicate of 2026-000031. Pothole filled". */
  statusNotes: string | null;
  address: string | null;
  requestedAt: string;
  updatedAt: string;
  expectedAt: string | null;
  notes: TrackedNote[];
}

const notFound = (number: string) => new DomainError('NOT_FOUND', `No request has the number ${number}. Check the number on your confirmation (it looks like 2026-000123).`);

/**
 * What the public may see of a request by its number. A reported problem of a public service shows
 * what Open311 shows (status, notes, place, the promise); any other request — a question asked at the
 * desk, a comment, a problem of a service the city does not publish — only whether it is open, never
 * its words, place or caller.
 */
export function trackRequest(db: Db, number: string): Tracked {
  if (!/^\d{4}-\d{4,}$/.test(number)) throw notFound(number);
  try {
    const [open311] = getServiceRequest(db, number, { extensions: 'true' });
    return {
      number,
      kind: 'problem',
      service: open311!.service_name,
      status: open311!.status,
      statusNotes: open311!.status_notes,
      address: open311!.address,
      requestedAt: open311!.requested_datetime,
      updatedAt: open311!.updated_datetime,
      expectedAt: open311!.expected_datetime,
      notes: (open311!.notes ?? []).map((n) => ({ at: n.datetime, summary: n.summary, description: n.description })),
    };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'NOT_FOUND') throw error;
  }
  const row = db
    .select({ type: customerRequests.type, status: customerRequests.status, startedAt: customerRequests.startedAt, updatedAt: customerRequests.updatedAt, closedAt: customerRequests.closedAt })
    .from(customerRequests)
    .where(eq(customerRequests.number, number))
    .get();
  if (!row || row.type === null) throw notFound(number);
  const status = row.status === 'cancelled' ? 'cancelled' : row.status === 'closed' ? 'closed' : 'open';
  const notes: TrackedNote[] = [{ at: row.startedAt, summary: 'Received', description: null }];
  if (status === 'closed' && row.closedAt) notes.push({ at: row.closedAt, summary: row.type === 'comment' ? 'Read and closed' : 'Closed', description: null });
  return {
    number,
    kind: row.type === 'action' ? 'problem' : row.type === 'information' ? 'question' : 'comment',
    service: null,
    status,
    statusNotes: status === 'cancelled' ? 'Withdrawn: it was recorded by mistake or the caller withdrew it.' : null,
    address: null,
    requestedAt: row.startedAt,
    updatedAt: row.updatedAt,
    expectedAt: null,
    notes,
  };
}
