// Answers owed: when the work on a request ends, every customer who asked to hear back is owed an
// answer by the way they chose. The entry holds everything needed to send it (where, to whom, the
// text); staff send it — an e-mail, a call-back read from the text, a letter — and mark it done.
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { users } from '../../db/schema/accounts.ts';
import { contacts } from '../../db/schema/contacts.ts';
import { cityProfile } from '../../db/schema/hierarchy.ts';
import { customerRequests } from '../../db/schema/intake.ts';
import { answersOwed, type OutboxStatus } from '../../db/schema/outbox.ts';
import type { workOrders } from '../../db/schema/work-orders.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { DomainError } from '../errors.ts';
import { cityTimeZone } from '../numbers.ts';

type RequestRow = typeof customerRequests.$inferSelect;
type WorkOrderRow = typeof workOrders.$inferSelect;
type Tx = Db;

function cityName(tx: Tx): string {
  const city = tx.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get()?.value as { name?: string } | undefined;
  return city?.name ?? 'the city';
}

/** The text told to the customer: what they reported, where, when, and what came of it. */
function answerText(tx: Tx, request: RequestRow, workOrder: WorkOrderRow, recipient: string) {
  const timeZone = cityTimeZone(tx);
  const day = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'long' }).format(new Date(iso));
  const what = request.classification?.name ?? 'a problem';
  const where = request.locationText ? ` at ${request.locationText}` : '';
  const done = workOrder.status === 'completed';
  const subject = `Your request ${request.number}: ${what} — ${done ? 'done' : 'closed'}`;
  const text = [
    recipient ? `Dear ${recipient},` : 'Hello,',
    '',
    `On ${day(request.startedAt)} you reported “${what}”${where} (request ${request.number}).`,
    done
      ? `The work was completed on ${day(workOrder.closedAt!)}: ${workOrder.resolution}`
      : `It was closed on ${day(workOrder.closedAt!)} without work: ${workOrder.resolution}`,
    '',
    `Thank you for telling us. If the problem is still there, call 311 and give the number ${request.number}.`,
    '',
    `${cityName(tx)} 311`,
  ].join('\n');
  return { subject, text };
}

/** Puts the answer owed to the customer of `request` (closed with `workOrder`) in the outbox. */
export function oweAnswer(tx: Tx, request: RequestRow, workOrder: WorkOrderRow): void {
  const contact = request.contactId === null ? undefined : tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, request.contactId)).get();
  const recipient = contact?.name ?? '';
  const { subject, text } = answerText(tx, request, workOrder, recipient);
  tx.insert(answersOwed)
    .values({ requestId: request.id, workOrderId: workOrder.id, method: request.replyMethod!, to: request.replyTo, recipient, subject, text, createdAt: new Date().toISOString() })
    .run();
}

/** Pending answers about a work order that was reopened are no longer true: they are withdrawn, not sent. */
export function withdrawAnswers(tx: Tx, actor: Actor, requestId: number, workOrderId: number, why: string): void {
  const pending = tx.select().from(answersOwed).where(and(eq(answersOwed.requestId, requestId), eq(answersOwed.workOrderId, workOrderId), eq(answersOwed.status, 'pending'))).all();
  for (const entry of pending) {
    tx.update(answersOwed).set({ status: 'withdrawn', doneAt: new Date().toISOString(), doneById: actor.userId, doneNote: why }).where(eq(answersOwed.id, entry.id)).run();
    const request = tx.select({ number: customerRequests.number }).from(customerRequests).where(eq(customerRequests.id, requestId)).get()!;
    recordAudit(tx, actor, { entityType: 'customer_request', entityId: request.number, action: 'request.answer_withdrawn', after: { method: entry.method, to: entry.to, why } });
  }
}

export interface OutboxQuery {
  status: OutboxStatus;
  method?: 'email' | 'phone' | 'letter';
  /** Entries older than this id: the cursor of the next page. */
  before?: number;
  limit: number;
}

const entryColumns = {
  id: answersOwed.id,
  request: customerRequests.number,
  method: answersOwed.method,
  to: answersOwed.to,
  recipient: answersOwed.recipient,
  subject: answersOwed.subject,
  text: answersOwed.text,
  status: answersOwed.status,
  createdAt: answersOwed.createdAt,
  doneAt: answersOwed.doneAt,
  doneBy: users.displayName,
  doneNote: answersOwed.doneNote,
  workOrder: sql<string | null>`(SELECT number FROM work_orders w WHERE w.id = ${answersOwed.workOrderId})`,
};

/** Pending answers oldest first (they are owed longest); done and withdrawn ones newest first. */
export function listAnswersOwed(db: Db, query: OutboxQuery) {
  const pending = query.status === 'pending';
  const kind = and(eq(answersOwed.status, query.status), query.method ? eq(answersOwed.method, query.method) : undefined);
  const where = and(
    kind,
    query.before === undefined ? undefined : pending ? sql`${answersOwed.id} > ${query.before}` : lt(answersOwed.id, query.before),
  );
  const rows = db
    .select(entryColumns)
    .from(answersOwed)
    .innerJoin(customerRequests, eq(customerRequests.id, answersOwed.requestId))
    .leftJoin(users, eq(users.id, answersOwed.doneById))
    .where(where)
    .orderBy(pending ? asc(answersOwed.id) : desc(answersOwed.id))
    .limit(query.limit + 1)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(answersOwed).where(kind).get()!.n;
  const items = rows.slice(0, query.limit);
  return { items, total, next: rows.length > query.limit ? items.at(-1)!.id : null };
}

function entryView(db: Pick<Db, 'select'>, id: number) {
  return db.select(entryColumns).from(answersOwed).innerJoin(customerRequests, eq(customerRequests.id, answersOwed.requestId)).leftJoin(users, eq(users.id, answersOwed.doneById)).where(eq(answersOwed.id, id)).get()!;
}

/** The answer was sent (or the call made): it leaves the list of answers owed. */
export function markAnswerDone(db: Db, actor: Actor, id: number, note: string) {
  return db.transaction((tx) => {
    const entry = tx.select().from(answersOwed).where(eq(answersOwed.id, id)).get();
    if (!entry) throw new DomainError('NOT_FOUND', `There is no answer owed with id ${id}.`);
    if (entry.status !== 'pending') throw new DomainError('INVALID_STATE', `This answer is already ${entry.status} (${entry.doneAt}); nothing to do.`);
    const at = new Date().toISOString();
    tx.update(answersOwed).set({ status: 'done', doneAt: at, doneById: actor.userId, doneNote: note.trim() }).where(eq(answersOwed.id, id)).run();
    const request = tx.select({ number: customerRequests.number }).from(customerRequests).where(eq(customerRequests.id, entry.requestId)).get()!;
    recordAudit(tx, actor, { entityType: 'customer_request', entityId: request.number, action: 'request.answer_sent', after: { method: entry.method, to: entry.to, note: note.trim() } });
    return entryView(tx, id);
  });
}
