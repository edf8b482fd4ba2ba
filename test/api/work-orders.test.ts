// Work orders and duplicates through the real API on a fresh database with the sample city's hierarchy:
// the first report of a problem makes the work order from its code's template, later reports of the same
// problem are found as candidates and linked, dispatchers work it to the end, and everyone who asked
// is owed an answer.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { addHerefordAddress, buildTestApp, createTestCaller, hereford, loadHierarchy, northOfHereford, signedInAs, type SignedIn } from '../helper.ts';

interface Setup {
  app: FastifyInstance;
  clerk: SignedIn;
  dispatcher: SignedIn;
  contactId: number;
  addressId: number;
}

const here = hereford;
const north = northOfHereford;

async function setup(t: Test, env: Record<string, string> = {}): Promise<Setup> {
  const { app } = await buildTestApp(t, env);
  await app.ready();
  loadHierarchy(app.db);
  const addressId = addHerefordAddress(app.db);
  return { app, clerk: await signedInAs(app, 'clerk'), dispatcher: await signedInAs(app, 'dispatcher'), contactId: createTestCaller(app.db).id, addressId };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

async function call(s: Setup, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json, who: SignedIn = s.clerk) {
  return s.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
}

async function ok(s: Setup, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json, who?: SignedIn): Promise<Json> {
  const res = await call(s, method, url, payload, who);
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

interface Report {
  code?: string;
  answers?: Json;
  location?: Json;
  reply?: boolean;
  contact?: boolean;
  description?: string;
}

/** A complete ("ready") action request, as the desk makes one. */
async function ready(s: Setup, report: Report = {}): Promise<Json> {
  let r = await ok(s, 'POST', '/api/requests', { channel: 'phone', contactId: report.contact === false ? null : s.contactId });
  r = await ok(s, 'PATCH', `/api/requests/${r.number}`, {
    version: r.version,
    type: 'action',
    problemCode: report.code ?? 'S0301',
    description: report.description ?? 'A deep pothole in the right lane',
    location: report.location ?? { text: '40 Hereford St', ...here },
    ...(report.reply ? { replyWanted: true, replyMethod: 'email' } : {}),
  });
  if (report.answers ?? (report.code ?? 'S0301') === 'S0301') {
    r = await ok(s, 'PATCH', `/api/requests/${r.number}`, { version: r.version, answers: report.answers ?? { WHISPOLO: 'STREE001' } });
  }
  return ok(s, 'POST', `/api/requests/${r.number}/complete`, { version: r.version });
}

const file = (s: Setup, r: Json, body: Json) => call(s, 'POST', `/api/requests/${r.number}/work-order`, { version: r.version, ...body });
const workOrder = (s: Setup, number: string) => ok(s, 'GET', `/api/work-orders/${number}`);
const fields = (res: { json: () => { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);

t.test('the first report of a problem makes a work order from its code’s standard work order and promises its due date', async (t) => {
  const s = await setup(t);
  const first = await ready(s);
  const none = await ok(s, 'GET', `/api/requests/${first.number}/duplicates`);
  t.same(none.candidates, [], 'nothing like it is open yet');
  t.same(none.rule, { radiusMeters: 30, windowDays: 30, scope: 'code', matchAttribute: null }, 'the rule of its category (road surface defects), inherited by the pothole code');
  const before = Date.now();
  const res = await file(s, first, { decision: 'create' });
  t.equal(res.statusCode, 200, res.body);
  const filed = res.json();
  t.equal(filed.linked, false);
  t.match(filed.workOrder, /^W\d{4}-\d{6}$/, 'numbered W + year + sequence');
  const wo = await workOrder(s, filed.workOrder);
  t.equal(wo.status, 'new');
  t.equal(wo.workType, 'Repair', 'work type inherited from the department');
  t.equal(wo.priority, 'normal', 'priority from the city default');
  t.same(wo.tasks.map((x: Json) => x.text), ['Inspect the pothole', 'Fill the pothole', 'Clean up the site'], 'the code’s own tasks');
  t.ok(wo.tasks.every((x: Json) => x.done === false), 'none done yet');
  t.equal(wo.provider.code, 'PWD-HWY', 'the responsible provider');
  t.equal(wo.department.code, 'PWD');
  const hours = (iso: string) => (Date.parse(iso) - before) / 3_600_000;
  t.ok(hours(wo.dueAt) > 71.9 && hours(wo.dueAt) < 72.1, `due 72 hours later (the code’s permanent turnaround), got ${hours(wo.dueAt)}`);
  t.ok(hours(wo.temporaryDueAt) > 23.9 && hours(wo.temporaryDueAt) < 24.1, 'temporary fix due 24 hours later');
  t.same(wo.location, { addressId: null, text: '40 Hereford St', ...here });
  t.same(wo.classification.code, 'S0301');
  t.equal(filed.request.status, 'in_progress', 'the request is on its work order now');
  t.equal(filed.request.promisedAt, wo.dueAt, 'the caller is promised the due date');
  t.same(filed.request.workOrder, { number: wo.number, status: 'new', dueAt: wo.dueAt, assignee: '' });
  t.equal(wo.requests.length, 1);
  t.equal(wo.requests[0].contactName, 'Maria Delgado');

  const again = await file(s, filed.request, { decision: 'create' });
  t.equal(again.statusCode, 409, 'a request is put on a work order once');
  const history = await ok(s, 'GET', `/api/work-orders/${wo.number}/history`);
  t.same(history.items.map((h: Json) => h.action), ['work_order.created', 'work_order.request_linked']);
  const requestHistory = await ok(s, 'GET', `/api/requests/${first.number}/history`);
  t.equal(requestHistory.items.at(-1).action, 'request.linked');
  t.same(requestHistory.items.at(-1).changes.workOrder, { before: null, after: wo.number }, 'the history names the work order');
});

t.test('a second report nearby sees the first work order ranked with its reasons, and must give a reason to make new work instead', async (t) => {
  const s = await setup(t);
  const first = (await file(s, await ready(s), { decision: 'create' })).json();
  const far = (await file(s, await ready(s, { location: { text: 'Boylston St', ...north(400) } }), { decision: 'create' })).json();
  t.equal(far.linked, false, '400 m away is another pothole');
  t.same(far.candidates, [], 'and was never a candidate');

  const second = await ready(s, { location: { text: '44 Hereford St', ...north(20) } });
  const found = await ok(s, 'GET', `/api/requests/${second.number}/duplicates`);
  t.equal(found.candidates.length, 1, 'only the one within 30 m');
  const c = found.candidates[0];
  t.equal(c.number, first.workOrder);
  t.ok(Math.abs(c.distanceMeters - 20) < 1, `20 m away (${c.distanceMeters})`);
  t.same(c.reasons, ['same code', '20 m', 'within the hour', '1 caller'], 'reasons in words');
  t.ok(c.score > 0.4 && c.score < 0.6, `nearer is likelier: a third of the radius away scores about half (${c.score})`);
  t.same((await ok(s, 'GET', `/api/requests/${(await ready(s, { location: { text: 'Hereford St', ...north(35) } })).number}/duplicates`)).candidates, [], '35 m is outside the 30 m radius');

  const refused = await file(s, second, { decision: 'create' });
  t.equal(refused.statusCode, 400, 'new work despite candidates needs a reason');
  t.same(fields(refused), ['/body/reason']);
  t.match(refused.json().message, first.workOrder);
  t.equal((await ok(s, 'GET', `/api/requests/${second.number}`)).status, 'ready', 'the refused request changed nothing');
  t.equal((await ok(s, 'GET', '/api/work-orders')).total, 2, 'and made no work order');

  const linked = await file(s, second, { decision: 'link', workOrder: first.workOrder });
  t.equal(linked.statusCode, 200, linked.body);
  t.equal(linked.json().linked, true);
  const wo = await workOrder(s, first.workOrder);
  t.same(wo.requests.map((r: Json) => r.number), [first.request.number, second.number], 'both callers on one work order');
  t.equal(linked.json().request.promisedAt, wo.dueAt, 'the second caller is promised the same date');

  const third = await ready(s, { location: { text: '42 Hereford St', ...north(10) } });
  const ranked = await ok(s, 'GET', `/api/requests/${third.number}/duplicates`);
  t.same(ranked.candidates[0].reasons.at(-1), '2 callers', 'callers counted');
  const own = await file(s, third, { decision: 'create', reason: 'The caller says this is a second hole across the street' });
  t.equal(own.statusCode, 200, 'with a reason the clerk may still make new work');
  t.equal((await ok(s, 'GET', `/api/requests/${third.number}`)).newWorkReason, 'The caller says this is a second hole across the street');
});

t.test('the duplicate rule: another code, a closed work order, the window, the category scope and the pole number', async (t) => {
  const s = await setup(t);
  const pothole = (await file(s, await ready(s), { decision: 'create' })).json();
  const light = await ready(s, { code: 'KNOCKDOWN_REPLACEMENT', answers: { POLE_NUMBER: ' pl-0042 ' } });
  t.same((await ok(s, 'GET', `/api/requests/${light.number}/duplicates`)).candidates, [], 'a pothole is not a street light');
  const lightWo = (await file(s, light, { decision: 'create' })).json();
  t.equal((await workOrder(s, lightWo.workOrder)).matchValue, 'PL-0042', 'the pole number is kept, folded');

  const samePole = await ready(s, { code: 'KNOCKDOWN_REPLACEMENT', answers: { POLE_NUMBER: 'PL-0042' }, location: { text: 'Hereford St', ...north(20) } });
  const bySame = await ok(s, 'GET', `/api/requests/${samePole.number}/duplicates`);
  t.equal(bySame.candidates[0].score, 1, 'the same pole is as certain as it gets');
  t.match(bySame.candidates[0].reasons, ['same code', '20 m', 'same pole number PL-0042']);
  const otherPole = await ready(s, { code: 'KNOCKDOWN_REPLACEMENT', answers: { POLE_NUMBER: 'PL-0043' }, location: { text: 'Hereford St', ...north(5) } });
  t.same((await ok(s, 'GET', `/api/requests/${otherPole.number}/duplicates`)).candidates, [], 'another pole, however close, is another problem');
  const noPole = await ready(s, { code: 'KNOCKDOWN_REPLACEMENT', answers: {}, location: { text: 'Hereford St', ...north(5) } });
  t.equal((await ok(s, 'GET', `/api/requests/${noPole.number}/duplicates`)).candidates.length, 1, 'a caller who cannot see the pole number still finds it by place');

  // Closed work orders are not candidates.
  let wo = await workOrder(s, pothole.workOrder);
  wo = await ok(s, 'PATCH', `/api/work-orders/${wo.number}`, { version: wo.version, assignee: 'Crew 7' }, s.dispatcher);
  await ok(s, 'POST', `/api/work-orders/${wo.number}/status`, { version: wo.version, status: 'cancelled', note: 'Not a city street' }, s.dispatcher);
  const afterClose = await ready(s);
  t.same((await ok(s, 'GET', `/api/requests/${afterClose.number}/duplicates`)).candidates, [], 'a closed work order takes no new reports');

  // The window: a work order opened 31 days ago is out of a 30-day rule.
  const recent = (await file(s, afterClose, { decision: 'create' })).json();
  s.app.db.$client.prepare('UPDATE work_orders SET created_at = ? WHERE number = ?').run(new Date(Date.now() - 31 * 86_400_000).toISOString(), recent.workOrder);
  const late = await ready(s);
  t.same((await ok(s, 'GET', `/api/requests/${late.number}/duplicates`)).candidates, [], 'older than the window');
  const current = (await file(s, late, { decision: 'create' })).json();

  // Category scope: an administrator widens the road-surface rule to the whole category, live.
  const caveIn = await ready(s, { code: 'CAVE_IN', description: 'The road sinks by the hydrant' });
  t.same((await ok(s, 'GET', `/api/requests/${caveIn.number}/duplicates`)).candidates, [], 'by code, a cave-in is not a pothole');
  const admin = await signedInAs(s.app, 'admin');
  const category = await ok(s, 'GET', '/api/hierarchy/nodes/PWD-HWY-STREET', undefined, admin);
  await ok(s, 'PATCH', '/api/hierarchy/nodes/PWD-HWY-STREET', { version: category.version, settings: { ...category.settings, duplicateRule: { radiusMeters: 30, windowDays: 30, scope: 'category', matchAttribute: null } } }, admin);
  const widened = await ok(s, 'GET', `/api/requests/${caveIn.number}/duplicates`);
  t.same(widened.candidates.map((c: Json) => c.number), [current.workOrder], 'the open pothole work order of the same category is now a candidate');
  t.equal(widened.candidates[0].reasons[0], 'same category (Street Repair)', 'said as the same category');
});

/** Makes a ready request one that came through the public portal (no clerk), as the portal files them. */
function fromPortal(s: Setup, r: Json): Json {
  s.app.db.$client.prepare("UPDATE customer_requests SET channel = 'web', clerk_id = NULL, source = 'portal' WHERE number = ?").run(r.number);
  return r;
}

t.test('automatic mode links to exactly one strong candidate and otherwise makes new work', async (t) => {
  const s = await setup(t);
  const desk = await ready(s);
  const refused = await file(s, desk, { decision: 'auto' });
  t.equal(refused.statusCode, 400, 'a request taken at the desk is decided by its clerk, not automatically');
  t.same(fields(refused), ['/body/decision']);
  const first = (await file(s, fromPortal(s, desk), { decision: 'auto' })).json();
  t.equal(first.linked, false, 'nothing to link to: new work');
  const near = fromPortal(s, await ready(s, { location: { text: '41 Hereford St', ...north(5) } }));
  const linked = (await file(s, near, { decision: 'auto' })).json();
  t.equal(linked.linked, true, '5 m away and minutes old is strong');
  t.equal(linked.workOrder, first.workOrder);
  const edge = fromPortal(s, await ready(s, { location: { text: 'Hereford St', ...north(27) } }));
  const weak = (await file(s, edge, { decision: 'auto' })).json();
  t.equal(weak.linked, false, '27 m of a 30 m radius is a candidate but not a strong one');
  t.equal(weak.candidates.length, 1);
  t.equal(weak.candidates[0].strong, false);
  t.match(weak.request.newWorkReason, /filed automatically: 1 possible duplicate, none strong enough/);
});

t.test('the strong score is configurable', async (t) => {
  const s = await setup(t, { DUPLICATE_STRONG_SCORE: '10' });
  const first = (await file(s, fromPortal(s, await ready(s)), { decision: 'auto' })).json();
  const edge = (await file(s, fromPortal(s, await ready(s, { location: { text: 'Hereford St', ...north(27) } })), { decision: 'auto' })).json();
  t.equal(edge.linked, true, 'with a low threshold the far candidate is strong enough');
  t.equal(edge.workOrder, first.workOrder);
});

/** A new work order with two callers on it: Maria wants an e-mail, the second caller wants nothing. */
async function twoCallers(s: Setup) {
  const first = (await file(s, await ready(s, { reply: true }), { decision: 'create' })).json();
  const second = (await file(s, await ready(s, { contact: false, location: { text: '42 Hereford St', ...north(8) } }), { decision: 'link', workOrder: first.workOrder })).json();
  return { number: first.workOrder as string, requests: [first.request.number as string, second.request.number as string] };
}

const move = (s: Setup, wo: Json, status: string, note?: string) => call(s, 'POST', `/api/work-orders/${wo.number}/status`, { version: wo.version, status, ...(note === undefined ? {} : { note }) }, s.dispatcher);

t.test('a work order’s life: assigned, in progress ⇄ on hold, completed — checked, versioned and audited', async (t) => {
  const s = await setup(t);
  const { number } = await twoCallers(s);
  let wo = await workOrder(s, number);
  t.same(wo.transitions, ['assigned', 'cancelled']);
  t.equal((await move(s, wo, 'in_progress')).statusCode, 409, 'new work cannot start before it is assigned');
  t.equal((await move(s, wo, 'assigned')).statusCode, 400, 'assigning needs a crew');
  t.equal((await call(s, 'PATCH', `/api/work-orders/${number}`, { version: wo.version, assignee: 'Crew 7' })).statusCode, 403, 'clerks do not dispatch');

  wo = await ok(s, 'PATCH', `/api/work-orders/${number}`, { version: wo.version, assignee: 'Crew 7', priority: 'high' }, s.dispatcher);
  t.equal(wo.status, 'assigned', 'naming a crew assigns the work');
  t.equal(wo.priority, 'high');
  const stale = await call(s, 'PATCH', `/api/work-orders/${number}`, { version: wo.version - 1, assignee: 'Crew 9' }, s.dispatcher);
  t.equal(stale.statusCode, 409, 'a lost update is refused');
  t.equal(stale.json().code, 'VERSION_CONFLICT');
  t.equal((await workOrder(s, number)).assignee, 'Crew 7', 'and changed nothing');

  wo = (await move(s, wo, 'in_progress')).json();
  t.equal(wo.status, 'in_progress');
  const hold = await move(s, wo, 'on_hold');
  t.equal(hold.statusCode, 400, 'on hold says what it waits for');
  t.same(fields(hold), ['/body/note']);
  wo = (await move(s, wo, 'on_hold', 'Waiting for asphalt delivery')).json();
  t.equal(wo.status, 'on_hold');
  t.match(wo.notes.at(-1), { text: 'on hold: Waiting for asphalt delivery', author: 'Test dispatcher' });
  t.equal((await move(s, wo, 'completed', 'Filled')).statusCode, 409, 'work on hold is resumed before it is completed');
  wo = (await move(s, wo, 'in_progress')).json();
  wo = await ok(s, 'PATCH', `/api/work-orders/${number}`, { version: wo.version, tasks: wo.tasks.map((x: Json, i: number) => ({ text: x.text, done: i === 0 })) }, s.dispatcher);
  t.match(wo.tasks[0], { done: true, doneBy: s.dispatcher.user.username }, 'a ticked task keeps who ticked it');
  t.ok(wo.tasks[0].doneAt);
  t.equal(wo.tasks[1].done, false);
  wo = await ok(s, 'POST', `/api/work-orders/${number}/notes`, { text: 'Crew on site at 10:40' }, s.dispatcher);
  t.equal(wo.notes.at(-1).text, 'Crew on site at 10:40');

  const noResolution = await move(s, wo, 'completed', '  ');
  t.equal(noResolution.statusCode, 400, 'completing says what was done');
  wo = (await move(s, wo, 'completed', 'Hole filled with hot asphalt')).json();
  t.equal(wo.status, 'completed');
  t.ok(wo.closedAt);
  t.same(wo.transitions, [], 'a closed work order moves no further…');
  t.ok(wo.reopenUntil, '…but may be reopened for a while');
  t.equal((await call(s, 'PATCH', `/api/work-orders/${number}`, { version: wo.version, priority: 'low' }, s.dispatcher)).statusCode, 409, 'and is not edited');

  const history = (await ok(s, 'GET', `/api/work-orders/${number}/history`)).items.map((h: Json) => h.action);
  t.same(history, [
    'work_order.created',
    'work_order.request_linked',
    'work_order.request_linked',
    'work_order.updated',
    'work_order.in_progress',
    'work_order.on_hold',
    'work_order.in_progress',
    'work_order.updated',
    'work_order.note_added',
    'work_order.completed',
  ]);
  const assignment = (await ok(s, 'GET', `/api/work-orders/${number}/history`)).items[3];
  t.same(assignment.changes.assignee, { before: '', after: 'Crew 7' }, 'who changed what is recorded');
  t.equal(assignment.actorLabel.includes('dispatcher'), true);
});

t.test('completing a work order closes every request on it, and each caller who asked for an answer is in the outbox', async (t) => {
  const s = await setup(t);
  const { number, requests } = await twoCallers(s);
  let wo = await ok(s, 'PATCH', `/api/work-orders/${number}`, { version: (await workOrder(s, number)).version, assignee: 'Crew 7' }, s.dispatcher);
  wo = (await move(s, wo, 'in_progress')).json();
  wo = (await move(s, wo, 'completed', 'Hole filled with hot asphalt')).json();
  for (const n of requests) {
    const r = await ok(s, 'GET', `/api/requests/${n}`);
    t.equal(r.status, 'closed', `${n} closed with its work order`);
    t.equal(r.resolution, 'Hole filled with hot asphalt', 'with the resolution');
    t.equal(r.closedAt, wo.closedAt);
  }
  const outbox = await ok(s, 'GET', '/api/answers-owed');
  t.equal(outbox.total, 1, 'one caller asked to hear back; the other did not');
  const entry = outbox.items[0];
  t.match(entry, { request: requests[0], workOrder: number, method: 'email', to: 'maria.delgado@example.org', recipient: 'Maria Delgado', status: 'pending' });
  t.match(entry.subject, `Your request ${requests[0]}: Pothole repair — done`);
  t.match(entry.text, /^Dear Maria Delgado,/);
  t.match(entry.text, /On \w+ \d+, \d{4} you reported “Pothole repair” at 40 Hereford St \(request /);
  t.match(entry.text, /The work was completed on .*: Hole filled with hot asphalt/);

  const done = await ok(s, 'POST', `/api/answers-owed/${entry.id}/done`, { note: 'Sent from the shared mailbox' });
  t.match(done, { status: 'done', doneNote: 'Sent from the shared mailbox', doneBy: 'Test clerk' });
  t.equal((await call(s, 'POST', `/api/answers-owed/${entry.id}/done`, {})).statusCode, 409, 'an answer is sent once');
  t.equal((await ok(s, 'GET', '/api/answers-owed')).total, 0, 'nothing owed now');
  t.equal((await ok(s, 'GET', '/api/answers-owed?status=done')).items[0].id, entry.id, 'the done ones are kept');
  t.equal((await call(s, 'POST', '/api/answers-owed/999/done', {})).statusCode, 404);
});

t.test('cancelling tells the callers why; reopening within the period reopens the requests and withdraws answers not yet sent', async (t) => {
  const s = await setup(t, { WORK_ORDER_REOPEN_DAYS: '7' });
  const { number, requests } = await twoCallers(s);
  let wo = await workOrder(s, number);
  t.equal((await move(s, wo, 'cancelled')).statusCode, 400, 'cancelling says why');
  wo = (await move(s, wo, 'cancelled', 'The road is private; the owner was told')).json();
  const owed = (await ok(s, 'GET', '/api/answers-owed')).items;
  t.equal(owed.length, 1);
  t.match(owed[0].text, /It was closed on .* without work: The road is private; the owner was told/);
  t.match(owed[0].subject, /— closed$/);

  t.equal((await call(s, 'POST', `/api/work-orders/${number}/reopen`, { version: wo.version, reason: ' ' }, s.dispatcher)).statusCode, 400, 'reopening says why');
  wo = await ok(s, 'POST', `/api/work-orders/${number}/reopen`, { version: wo.version, reason: 'The road is public after all' }, s.dispatcher);
  t.equal(wo.status, 'new', 'back to the queue (no crew was named)');
  t.equal(wo.closedAt, null);
  for (const n of requests) t.equal((await ok(s, 'GET', `/api/requests/${n}`)).status, 'in_progress', `${n} is open again`);
  t.equal((await ok(s, 'GET', '/api/answers-owed')).total, 0, 'the answer not yet sent is withdrawn');
  t.match((await ok(s, 'GET', '/api/answers-owed?status=withdrawn')).items[0].doneNote, /reopened before this was sent: The road is public after all/);

  wo = (await move(s, wo, 'cancelled', 'Duplicate of a utility job')).json();
  s.app.db.$client.prepare('UPDATE work_orders SET closed_at = ? WHERE number = ?').run(new Date(Date.now() - 8 * 86_400_000).toISOString(), number);
  wo = await workOrder(s, number);
  t.equal(wo.reopenUntil, null, 'past the period');
  const late = await call(s, 'POST', `/api/work-orders/${number}/reopen`, { version: wo.version, reason: 'Again' }, s.dispatcher);
  t.equal(late.statusCode, 409);
  t.match(late.json().message, /closed more than 7 days ago/);
});

t.test('merge moves the requests and closes the merged work order as a duplicate; split moves a request to new work', async (t) => {
  const s = await setup(t);
  const a = await twoCallers(s);
  const b = (await file(s, await ready(s, { location: { text: 'Hereford St', ...north(200) } }), { decision: 'create' })).json();
  let from = await workOrder(s, b.workOrder);
  const into = await workOrder(s, a.number);
  t.equal((await call(s, 'POST', `/api/work-orders/${from.number}/merge`, { version: from.version, into: from.number }, s.dispatcher)).statusCode, 400, 'not into itself');
  const merged = await ok(s, 'POST', `/api/work-orders/${from.number}/merge`, { version: from.version, into: into.number }, s.dispatcher);
  t.match(merged.merged, { status: 'cancelled', duplicateOf: into.number, resolution: `Duplicate of ${into.number}` });
  t.same(merged.into.requests.map((r: Json) => r.number), [...a.requests, b.request.number], 'its caller joins the other work order');
  t.same(merged.into.mergedHere, [from.number]);
  t.equal(merged.into.version, into.version + 1, 'the work order that gained callers has a new version: a stale copy cannot close it unseen');
  t.equal((await ok(s, 'GET', `/api/requests/${b.request.number}`)).workOrder.number, into.number);
  t.equal((await ok(s, 'GET', '/api/answers-owed')).total, 0, 'nobody is told "closed" by a merge: their work goes on');
  from = await workOrder(s, from.number);
  t.equal((await call(s, 'POST', `/api/work-orders/${from.number}/reopen`, { version: from.version, reason: 'x' }, s.dispatcher)).statusCode, 409, 'a merged work order is not reopened');

  const current = await workOrder(s, into.number);
  t.equal((await call(s, 'POST', `/api/work-orders/${into.number}/split`, { version: current.version, request: b.request.number, reason: ' ' }, s.dispatcher)).statusCode, 400, 'a split says why');
  const split = await ok(s, 'POST', `/api/work-orders/${into.number}/split`, { version: current.version, request: b.request.number, reason: 'It is 200 m away: another hole' }, s.dispatcher);
  t.same(split.from.requests.map((r: Json) => r.number), a.requests);
  t.equal(split.from.version, current.version + 1, 'and so has the one that lost a caller');
  t.same(split.to.requests.map((r: Json) => r.number), [b.request.number]);
  t.same(split.to.tasks.map((x: Json) => x.text), ['Inspect the pothole', 'Fill the pothole', 'Clean up the site'], 'the new one from the code’s template');
  t.same(split.to.location, { addressId: null, text: 'Hereford St', ...north(200) }, 'at the request’s place');
  const only = await call(s, 'POST', `/api/work-orders/${split.to.number}/split`, { version: split.to.version, request: b.request.number, reason: 'again' }, s.dispatcher);
  t.equal(only.statusCode, 400, 'the only request is not split from itself');
  t.match((await ok(s, 'GET', `/api/requests/${b.request.number}`)).newWorkReason, `split from ${into.number}: It is 200 m away`);
});

t.test('the dispatch queue: open work by due date, filtered by department, provider, status, priority, overdue and number', async (t) => {
  const s = await setup(t);
  const pothole = (await file(s, await ready(s), { decision: 'create' })).json();
  const light = (await file(s, await ready(s, { code: 'KNOCKDOWN_REPLACEMENT', answers: {} }), { decision: 'create' })).json();
  const bulk = (await file(s, await ready(s, { code: 'BULK_ITEM_PICKUP', answers: { ITEMS: ['MATTRESS_OR_BOX_SPRING'], ITEM_COUNT: 2 } }), { decision: 'create' }));
  t.equal(bulk.statusCode, 200, bulk.body);
  let wo = await workOrder(s, light.workOrder);
  await ok(s, 'PATCH', `/api/work-orders/${wo.number}`, { version: wo.version, dueAt: new Date(Date.now() - 3_600_000).toISOString(), priority: 'urgent' }, s.dispatcher);
  const farFuture = await call(s, 'PATCH', `/api/work-orders/${light.workOrder}`, { version: wo.version + 1, dueAt: '9999-01-01T00:00:00Z' }, s.dispatcher);
  t.equal(farFuture.statusCode, 400, 'a due date centuries away is a typing error');
  t.same(fields(farFuture), ['/body/dueAt']);
  const queue = await ok(s, 'GET', '/api/work-orders');
  t.equal(queue.total, 3);
  const dues = queue.items.map((w: Json) => w.dueAt);
  t.same(dues, [...dues].sort(), 'sorted by due date');
  t.equal(queue.items[0].number, light.workOrder, 'the overdue one first');
  t.equal(queue.items[0].overdue, true);
  t.same((await ok(s, 'GET', '/api/work-orders?overdue=true')).items.map((w: Json) => w.number), [light.workOrder]);
  t.same((await ok(s, 'GET', '/api/work-orders?priority=urgent')).items.map((w: Json) => w.number), [light.workOrder]);
  t.same((await ok(s, 'GET', '/api/work-orders?provider=PWD-HWY')).items.map((w: Json) => w.number), [pothole.workOrder]);
  t.equal((await ok(s, 'GET', '/api/work-orders?department=PWD')).total, 3, 'all three are Public Works');
  t.equal((await call(s, 'GET', '/api/work-orders?department=PWD-HWY')).statusCode, 400, 'a provider is not a department');
  t.same((await ok(s, 'GET', `/api/work-orders?number=${pothole.workOrder}`)).items.map((w: Json) => w.number), [pothole.workOrder]);
  wo = await workOrder(s, pothole.workOrder);
  await move(s, wo, 'cancelled', 'Duplicate');
  t.equal((await ok(s, 'GET', '/api/work-orders')).total, 2, 'closed work leaves the queue');
  t.equal((await ok(s, 'GET', '/api/work-orders?status=closed')).total, 1);
  t.equal((await ok(s, 'GET', '/api/work-orders?status=all&limit=1')).items.length, 1, 'bounded by limit');
  t.equal((await ok(s, 'GET', '/api/work-orders?status=new')).total, 2);
});

t.test('the queue counts up to 10,000 work orders and then says "or more"; a filter still counts exactly', async (t) => {
  const s = await setup(t);
  const first = (await file(s, await ready(s), { decision: 'create' })).json();
  t.match(await ok(s, 'GET', '/api/work-orders'), { total: 1, totalIsAtLeast: false });
  // 10,000 more open work orders like the first, straight into the table (the services would take minutes).
  s.app.db.$client
    .prepare(`WITH RECURSIVE series(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM series WHERE value < 10000)
      INSERT INTO work_orders (number, problem_code_id, category_id, provider_id, department_id, classification, work_type, priority, status, assignee, tasks,
        description, location_text, due_at, created_at, updated_at)
      SELECT 'W2026-9' || printf('%05d', value), problem_code_id, category_id, provider_id, department_id, classification, work_type, 'low', status, assignee, tasks,
        description, location_text, due_at, created_at, updated_at
      FROM work_orders, series WHERE number = ?`)
    .run(first.workOrder);
  t.match(await ok(s, 'GET', '/api/work-orders'), { total: 10_000, totalIsAtLeast: true }, '10,001 open: "10,000 or more"');
  t.match(await ok(s, 'GET', '/api/work-orders?priority=normal'), { total: 1, totalIsAtLeast: false }, 'the one of normal priority, counted exactly');
});

t.test('the outbox counts by method, and a withdrawn answer is in the request’s history', async (t) => {
  const s = await setup(t);
  const { number, requests } = await twoCallers(s);
  const wo = (await move(s, await workOrder(s, number), 'cancelled', 'Private road')).json();
  t.equal((await ok(s, 'GET', '/api/answers-owed?method=email')).total, 1);
  t.equal((await ok(s, 'GET', '/api/answers-owed?method=letter')).total, 0, 'the total follows the method filter');
  await ok(s, 'POST', `/api/work-orders/${number}/reopen`, { version: wo.version, reason: 'Public after all' }, s.dispatcher);
  const history = (await ok(s, 'GET', `/api/requests/${requests[0]}/history`)).items.map((h: Json) => h.action);
  t.same(history.slice(-3), ['request.closed', 'request.reopened', 'request.answer_withdrawn']);
});

t.test('the same registry address is the same place, wherever the coordinates were put', async (t) => {
  const s = await setup(t);
  const first = (await file(s, await ready(s, { location: { addressId: s.addressId } }), { decision: 'create' })).json();
  // The second caller's clerk put the point across the road, 40 m off: outside the 30 m radius.
  const second = await ready(s, { location: { addressId: s.addressId, ...north(40) } });
  const found = await ok(s, 'GET', `/api/requests/${second.number}/duplicates`);
  t.same(found.candidates.map((c: Json) => c.number), [first.workOrder]);
  t.same(found.candidates[0].reasons.slice(0, 2), ['same code', 'same address']);
  t.equal(found.candidates[0].distanceMeters, null);
  const elsewhere = await ready(s, { location: { text: 'Hereford St', ...north(40) } });
  t.same((await ok(s, 'GET', `/api/requests/${elsewhere.number}/duplicates`)).candidates, [], 'the same point without the address is out of the radius');
});

t.test('a rule changed by another process (straight in the database) is the rule the next search uses', async (t) => {
  const s = await setup(t);
  await file(s, await ready(s), { decision: 'create' });
  const probe = await ready(s, { location: { text: 'Hereford St', ...north(100) } });
  t.same((await ok(s, 'GET', `/api/requests/${probe.number}/duplicates`)).candidates, [], '100 m is out of the 30 m rule (and the rule is now remembered)');
  // What another server process would do: change the category's settings in the shared file.
  s.app.db.$client
    .prepare("UPDATE hierarchy_nodes SET settings = json_set(settings, '$.duplicateRule.radiusMeters', 150) WHERE code = 'PWD-HWY-STREET'")
    .run();
  const found = await ok(s, 'GET', `/api/requests/${probe.number}/duplicates`);
  t.equal(found.rule.radiusMeters, 150, 'the remembered rule was dropped: the hierarchy changed');
  t.equal(found.candidates.length, 1);
});

t.test('when the last caller withdraws, the work order stays for the dispatcher to decide, with a note saying so', async (t) => {
  const s = await setup(t);
  const filed = (await file(s, await ready(s), { decision: 'create' })).json();
  const cancelled = await call(s, 'POST', `/api/requests/${filed.request.number}/cancel`, { version: filed.request.version, reason: 'The caller filled it himself' });
  t.equal(cancelled.statusCode, 200, cancelled.body);
  const wo = await workOrder(s, filed.workOrder);
  t.equal(wo.status, 'new', 'the work order is not closed by a withdrawal');
  t.match(wo.notes.at(-1).text, `No caller is waiting any more: ${filed.request.number}, the last request on it, was cancelled (The caller filled it himself).`);
  t.equal((await ok(s, 'GET', '/api/work-orders')).items[0].callers, 0, 'the queue shows no caller on it');
});
