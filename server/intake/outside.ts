// Reports that arrive without a clerk — the public portal, an Open311 partner — are saved and filed the
// same way: the reporter, when named, becomes a contact; the report is saved whole (the desk's checks);
// then the duplicate search decides in its automatic mode whether it joins open work or makes new work.
import type { Db } from '../../db/connection.ts';
import type { Actor } from '../audit/service.ts';
import { DomainError } from '../errors.ts';
import { createContact } from '../contacts/service.ts';
import type { Question, Settings } from '../hierarchy/files.ts';
import { getNode, type NodeDetail } from '../hierarchy/service.ts';
import { fileRequest, type FileResult, type WorkOrderOptions } from '../work-orders/service.ts';
import { submitReport, type Report } from './service.ts';

/** A problem code the public may report, with what a reporter needs to know about it. */
export interface PublicCode {
  node: NodeDetail;
  /** In the order they are asked; notices (variable=false) among them. */
  questions: Question[];
  needsLocation: boolean;
  /** The turnaround the work order gets: what the promise will be. */
  turnaroundHours: number | null;
}

/** The code when the public may report it (active, and public as resolved); null for any other code. */
export function publicProblemCode(db: Db, code: string): PublicCode | null {
  let node: NodeDetail;
  try {
    node = getNode(db, code);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
  const rules = node.resolved?.value as Settings | undefined;
  const active = node.status === 'active' && node.path.every((n) => n.status === 'active');
  if (node.level !== 'problem_code' || !active || rules?.public === false) return null;
  return {
    node,
    questions: [...((node.settings as { questions?: Question[] }).questions ?? [])].sort((a, b) => a.order - b.order),
    needsLocation: rules?.needsLocation ?? true,
    turnaroundHours: rules?.turnaround?.permanentHours ?? null,
  };
}

/** Who reported, as they gave it: every part may be missing (an anonymous report has none). */
export interface Reporter {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** The reporter as a contact of the city, when they said who they are; null for an anonymous report. */
export function contactOfReporter(db: Db, actor: Actor, reporter: Reporter, notes: string): number | null {
  const name = reporter.name?.trim() ?? '';
  const email = reporter.email?.trim() ?? '';
  const phone = reporter.phone?.trim() ?? '';
  if (!name && !email && !phone) return null;
  return createContact(db, actor, {
    name: name || email || phone,
    organisation: '',
    phones: phone ? [{ label: 'given', number: phone }] : [],
    emails: email ? [email] : [],
    postalAddress: '',
    addressId: null,
    preferredReply: email ? 'email' : null,
    language: '',
    notes,
  }).contact.id;
}

/** Who reported and how to note where they came from; null for an anonymous report. */
export interface ReportedBy {
  reporter: Reporter;
  notes: string;
}

/**
 * Saves a checked report from outside — its reporter as a contact, the request, and its filing (joined to
 * open work or made new work automatically) — in one transaction: all of it, or nothing if any step
 * fails. Returns where it went and the request as filed.
 */
export function submitAndFile(db: Db, actor: Actor, report: Omit<Report, 'contactId'>, by: ReportedBy | null, options: WorkOrderOptions): FileResult {
  return db.transaction((tx) => {
    // The services open transactions of their own; inside this one they are savepoints of it.
    const contactId = by ? contactOfReporter(tx, actor, by.reporter, by.notes) : null;
    const saved = submitReport(tx, actor, { ...report, contactId });
    return fileRequest(tx, actor, saved.number, { version: saved.version, decision: 'auto' }, options);
  });
}
