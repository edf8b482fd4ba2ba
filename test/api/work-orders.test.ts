// Work orders and duplicates through the real API on a fresh database with the sample city's hierarchy:
// the first report of a problem makes the work order from its code's template, later reports of the same
// problem are found as candidates and linked, dispatchers work it to the end, and everyone who asked
// is owed an answer.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { addresses } from '../../db/schema/addresses.ts';
import { buildTestApp, createTestCaller, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

interface Setup {
  app: FastifyInstance;
  clerk: SignedIn;
  dispatcher: SignedIn;
  contactId: number;
  addressId: number;
}

// 40 Hereford St, Boston (a real address of the sample registry).
const here = { latitude: 42.3494, longitude: -71.0858 };
/** A point `metres` north of `here`. */
const north = (metres: number) => ({ latitude: here.latitude + metres / 111_195, longitude: here.longitude });

async function setup(t: Test, env: Record<string, string> = {}): Promise<Setup> {
  const { app } = await buildTestApp(t, env);
  await app.ready();
  loadHierarchy(app.db);
  const at = new Date().toISOString();
  const address = app.db
    .insert(addresses)
    .values({ number: '40', street: 'Hereford St', postcode: '02115', city: 'Back Bay', region: 'MA', ...here, createdAt: at, updatedAt: at })
    .returning()
    .get();
  return { app, clerk: await signedInAs(app, 'clerk'), dispatcher: await signedInAs(app, 'dispatcher'), contactId: createTestCaller(app.db).id, addressId: address.id };
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

t.test('automatic mode links to exactly one strong candidate and otherwise makes new work', async (t) => {
  const s = await setup(t);
  const first = (await file(s, await ready(s), { decision: 'auto' })).json();
  t.equal(first.linked, false, 'nothing to link to: new work');
  const near = await ready(s, { location: { text: '41 Hereford St', ...north(5) } });
  const linked = (await file(s, near, { decision: 'auto' })).json();
  t.equal(linked.linked, true, '5 m away and minutes old is strong');
  t.equal(linked.workOrder, first.workOrder);
  const edge = await ready(s, { location: { text: 'Hereford St', ...north(27) } });
  const weak = (await file(s, edge, { decision: 'auto' })).json();
  t.equal(weak.linked, false, '27 m of a 30 m radius is a candidate but not a strong one');
  t.equal(weak.candidates.length, 1);
  t.equal(weak.candidates[0].strong, false);
  t.match(weak.request.newWorkReason, /filed automatically: 1 possible duplicate, none strong enough/);
});

t.test('the strong score is configurable', async (t) => {
  const s = await setup(t, { DUPLICATE_STRONG_SCORE: '10' });
  const first = (await file(s, await ready(s), { decision: 'auto' })).json();
  const edge = (await file(s, await ready(s, { location: { text: 'Hereford St', ...north(27) } }), { decision: 'auto' })).json();
  t.equal(edge.linked, true, 'with a low threshold the far candidate is strong enough');
  t.equal(edge.workOrder, first.workOrder);
});
