// The public portal's API (/api/public): no sign-in. A resident finds a service, reports a problem
// (anonymous or named, told by e-mail when it is done), follows a request by its number and sends a
// comment; every error a resident can make is answered whole and changes nothing; writes are limited
// per address.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { reindexAddress } from '../../server/addresses/search.ts';
import { buildTestApp, addHerefordAddress, hereford, loadHierarchy, northOfHereford, signedInAs, type SignedIn } from '../helper.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

interface Setup {
  app: FastifyInstance;
  addressId: number;
  dispatcher: SignedIn;
  clerk: SignedIn;
}

async function setup(t: Test): Promise<Setup> {
  const { app } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  return { app, addressId: addHerefordAddress(app.db), dispatcher: await signedInAs(app, 'dispatcher'), clerk: await signedInAs(app, 'clerk') };
}

/** Each caller of the portal is a different address unless a test says otherwise (the limits are per address). */
let nextAddress = 1;
const from = () => `198.51.100.${nextAddress++}`;

const get = (app: FastifyInstance, url: string, remoteAddress = from()) => app.inject({ method: 'GET', url, remoteAddress });
const post = (app: FastifyInstance, url: string, payload: unknown, remoteAddress = from()) => app.inject({ method: 'POST', url, payload: payload as Json, remoteAddress });
const count = (app: FastifyInstance, table: string) => (app.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const pothole = (extra: Json = {}): Json => ({
  problemCode: 'S0301',
  answers: { WHISPOLO: 'STREE001' },
  location: { ...hereford },
  description: 'Deep pothole in the right lane',
  ...extra,
});

t.test('a resident finds a service by searching: public services only, with the questions to answer', async (t) => {
  const { app } = await setup(t);
  const found = await get(app, '/api/public/services?q=pothole');
  t.equal(found.statusCode, 200, found.body);
  const codes = (found.json().hits as Json[]).map((h) => h.code);
  t.ok(codes.includes('S0301'), 'the public pothole service is found');
  t.notOk(codes.includes('POTHOLE_INTERNAL'), 'a code the city does not publish is not');
  const notices = ((await get(app, '/api/public/services?q=incident%20notification')).json().hits as Json[]).map((h) => h.code);
  t.notOk(notices.includes('INCIDENT_NOTIFICATION'), 'nor a code whose category is not public (public: false inherited)');
  t.match(found.json().hits.find((h: Json) => h.code === 'S0301'), { name: 'Pothole repair', path: /Public Works/i });

  const service = await get(app, '/api/public/services/S0301');
  t.equal(service.statusCode, 200);
  t.match(service.json(), { code: 'S0301', name: 'Pothole repair', needsLocation: true, turnaroundHours: 72 });
  const where = (service.json().questions as Json[]).find((q) => q.code === 'WHISPOLO');
  t.match(where, { variable: true, required: true, datatype: 'singlevaluelist' });
  t.ok((service.json().questions as Json[]).some((q) => q.variable === false), 'notices come with the questions, to be shown among them');

  const hidden = await get(app, '/api/public/services/POTHOLE_INTERNAL');
  t.equal(hidden.statusCode, 404, 'a code that is not public is, to the public, no service');
  t.match(hidden.json().message, /no service POTHOLE_INTERNAL/);
  t.equal((await get(app, '/api/public/services?q=')).json().hits.length, 0, 'no words, no hits');
  t.equal((await get(app, '/api/public/services')).statusCode, 400, 'q is required');
});

t.test('a resident finds an address of the registry without signing in', async (t) => {
  const { app, addressId } = await setup(t);
  reindexAddress(app.db, addressId);
  const res = await get(app, '/api/public/addresses?q=40%20hereford');
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().hits[0].id, addressId);
  t.match(res.json().hits[0].label, /40 Hereford St/);
});

t.test('an anonymous report is saved as a web request, filed on new work and answered with its number and promise; the next report nearby joins that work', async (t) => {
  const { app, clerk } = await setup(t);
  const res = await post(app, '/api/public/reports', pothole());
  t.equal(res.statusCode, 201, res.body);
  const answer = res.json();
  t.match(answer, { number: /^\d{4}-\d{6}$/, service: 'Pothole repair', notify: false });
  t.ok(answer.notices.length > 0, 'the service’s notices are told after reporting');
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${answer.number}`, headers: clerk.headers })).json();
  t.match(saved, { channel: 'web', source: 'portal', type: 'action', status: 'in_progress', contact: null, clerk: null, replyWanted: false });
  t.equal(answer.expectedAt, saved.promisedAt, 'the promise told is the work order’s due date');
  t.ok(Date.parse(answer.expectedAt) > Date.now() + 71 * 3600_000, 'three days out, as the pothole turnaround says');

  const second = (await post(app, '/api/public/reports', pothole({ location: northOfHereford(5) }))).json();
  const linked = (await app.inject({ method: 'GET', url: `/api/requests/${second.number}`, headers: clerk.headers })).json();
  t.equal(linked.workOrder.number, saved.workOrder.number, 'a report 5 m away joins the same work order');
  t.equal(count(app, 'work_orders'), 1);

  const tracked = (await get(app, `/api/public/requests/${second.number}`)).json();
  t.match(tracked, { number: second.number, kind: 'problem', service: 'Pothole repair', status: 'open', statusNotes: `Duplicate of ${answer.number}` });
  t.ok((tracked.notes as Json[]).some((n) => /already open for the same problem/.test(n.summary)), 'its history says it joined work already open');
});

t.test('a named report asks to be told: on completion the resident is owed an e-mail; the track page shows the resolution', async (t) => {
  const { app, dispatcher } = await setup(t);
  const res = await post(app, '/api/public/reports', pothole({ contact: { name: 'Ana Souza', email: 'ana.souza@example.org', phone: '617-555-0199' }, notify: true, mediaUrl: 'https://photos.example.org/pothole.jpg' }));
  t.equal(res.statusCode, 201, res.body);
  const { number } = res.json();
  t.equal(res.json().notify, true);
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${number}`, headers: dispatcher.headers })).json();
  t.match(saved, { replyWanted: true, replyMethod: 'email', replyTo: 'ana.souza@example.org', mediaUrl: 'https://photos.example.org/pothole.jpg' });
  t.match(saved.contact, { name: 'Ana Souza', emails: ['ana.souza@example.org'], phones: [{ number: '617-555-0199' }] });

  const workOrder = saved.workOrder.number;
  let current = (await app.inject({ method: 'GET', url: `/api/work-orders/${workOrder}`, headers: dispatcher.headers })).json();
  for (const status of ['assigned', 'in_progress', 'completed']) {
    const body: Json = { version: current.version, status, ...(status === 'completed' ? { note: 'Pothole filled with hot asphalt' } : {}) };
    if (status === 'assigned') {
      current = (await app.inject({ method: 'PATCH', url: `/api/work-orders/${workOrder}`, headers: dispatcher.headers, payload: { version: current.version, assignee: 'Crew 7' } })).json();
      continue;
    }
    const moved = await app.inject({ method: 'POST', url: `/api/work-orders/${workOrder}/status`, headers: dispatcher.headers, payload: { ...body, version: current.version } });
    t.equal(moved.statusCode, 200, moved.body);
    current = moved.json();
  }
  const owed = (await app.inject({ method: 'GET', url: '/api/answers-owed?status=pending', headers: dispatcher.headers })).json();
  t.match(owed.items, [{ request: number, method: 'email', to: 'ana.souza@example.org', recipient: 'Ana Souza' }], 'the resident is owed an e-mail');

  const tracked = (await get(app, `/api/public/requests/${number}`)).json();
  t.match(tracked, { status: 'closed', statusNotes: 'Pothole filled with hot asphalt' });
  t.match((tracked.notes as Json[]).at(-1), { summary: 'Request closed', description: 'Pothole filled with hot asphalt' });
  const open311 = (await get(app, `/open311/v2/requests/${number}.json`)).json();
  t.equal(open311[0].media_url, 'https://photos.example.org/pothole.jpg', 'the photo link is the Open311 media_url');
});

t.test('a service that needs no place is reported without one', async (t) => {
  const { app } = await setup(t);
  t.equal((await get(app, '/api/public/services/WEBSITE_ISSUE')).json().needsLocation, false);
  const res = await post(app, '/api/public/reports', { problemCode: 'WEBSITE_ISSUE', location: {}, description: 'The permit page shows an error' });
  t.equal(res.statusCode, 201, res.body);
});

t.test('a wrong report gets every problem at once, by field, and nothing is written', async (t) => {
  const { app } = await setup(t);
  const before = ['customer_requests', 'contacts', 'work_orders', 'interactions'].map((table) => count(app, table));
  const res = await post(app, '/api/public/reports', { problemCode: 'S0301', answers: {}, location: {}, description: 'x', mediaUrl: 'javascript:alert(1)', contact: { name: 'Ana' }, notify: true });
  t.equal(res.statusCode, 400, res.body);
  const fields = (res.json().details as Json[]).map((d) => d.field).sort();
  t.same(fields, ['/body/answers/WHISPOLO', '/body/contact/email', '/body/location', '/body/mediaUrl'], 'the missing answer, the missing place, the e-mail needed to tell, the link that is not a web address');
  t.match(res.json().details.find((d: Json) => d.field === '/body/contact/email').message, /needed to tell you by e-mail/);

  const hidden = await post(app, '/api/public/reports', pothole({ problemCode: 'POTHOLE_INTERNAL' }));
  t.equal(hidden.statusCode, 400);
  t.match(hidden.json().details, [{ field: '/body/problemCode', message: /not a service that can be reported/ }]);
  const badEmail = await post(app, '/api/public/reports', pothole({ contact: { email: 'ana.souza' } }));
  t.equal(badEmail.statusCode, 400, 'an e-mail address that is not one');
  const long = await post(app, '/api/public/reports', pothole({ description: 'x'.repeat(4001) }));
  t.equal(long.statusCode, 400, 'a description over 4,000 characters');
  t.same(['customer_requests', 'contacts', 'work_orders', 'interactions'].map((table) => count(app, table)), before, 'nothing was written');
});

t.test('a report that cannot be filed leaves nothing behind: no contact, no request, no work order', async (t) => {
  const { app } = await setup(t);
  // A standard work order naming a provider that is not there, as a broken edit straight in the database would.
  app.db.$client.prepare("UPDATE hierarchy_nodes SET settings = json_set(settings, '$.standardWorkOrder.provider', 'NO_SUCH_PROVIDER') WHERE code = 'S0301'").run();
  const before = ['customer_requests', 'contacts', 'work_orders', 'interactions', 'audit_log'].map((table) => count(app, table));
  const res = await post(app, '/api/public/reports', pothole({ contact: { name: 'Ana Souza', email: 'ana.souza@example.org' }, notify: true }));
  t.equal(res.statusCode, 409, res.body);
  t.match(res.json().message, /NO_SUCH_PROVIDER/, 'refused at filing, after the contact and the request were written inside the transaction');
  t.same(['customer_requests', 'contacts', 'work_orders', 'interactions', 'audit_log'].map((table) => count(app, table)), before, 'all of it was rolled back');
});

t.test('what a resident writes is stored as typed and served as JSON data (the pages escape it: the browser test types markup)', async (t) => {
  const { app } = await setup(t);
  const words = '<img src=x onerror="alert(1)"> pothole & <b>deep</b>';
  const { number } = (await post(app, '/api/public/reports', pothole({ description: words }))).json();
  const res = await get(app, `/api/public/requests/${number}`);
  t.match(res.headers['content-type'], /^application\/json/);
  const open311 = (await get(app, `/open311/v2/requests/${number}.json`)).json();
  t.equal(open311[0].description, words, 'the words are stored as they were typed; the pages escape them when they show them');
});

t.test('a comment is recorded at once: closed, or awaiting the reply its author asked for; its words are never shown to the public', async (t) => {
  const { app, clerk } = await setup(t);
  const plain = await post(app, '/api/public/comments', { kind: 'compliment', text: 'The crew on Hereford St was quick and kind.' });
  t.equal(plain.statusCode, 201, plain.body);
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${plain.json().number}`, headers: clerk.headers })).json();
  t.match(saved, { type: 'comment', commentKind: 'compliment', status: 'closed', channel: 'web', source: 'portal', contact: null, description: 'The crew on Hereford St was quick and kind.' });

  const asking = await post(app, '/api/public/comments', { kind: 'complaint', text: 'Why is the library closed on Sundays?', contact: { name: 'Ana Souza', email: 'ana.souza@example.org' }, replyWanted: true });
  t.equal(asking.statusCode, 201, asking.body);
  const waiting = (await app.inject({ method: 'GET', url: `/api/requests/${asking.json().number}`, headers: clerk.headers })).json();
  t.match(waiting, { status: 'awaiting_reply', replyWanted: true, replyMethod: 'email', replyTo: 'ana.souza@example.org', contact: { name: 'Ana Souza' } });

  const tracked = (await get(app, `/api/public/requests/${asking.json().number}`)).json();
  t.match(tracked, { kind: 'comment', status: 'open', service: null, address: null });
  t.notMatch(JSON.stringify(tracked), /library|Ana/, 'neither the words nor the author are shown by number');

  const before = count(app, 'customer_requests');
  const noEmail = await post(app, '/api/public/comments', { kind: 'complaint', text: 'Please reply', replyWanted: true });
  t.equal(noEmail.statusCode, 400);
  t.match(noEmail.json().details, [{ field: '/body/contact/email' }]);
  t.equal((await post(app, '/api/public/comments', { kind: 'suggestion', text: '   ' })).statusCode, 400, 'a comment of spaces only');
  t.equal((await post(app, '/api/public/comments', { kind: 'rant', text: 'x' })).statusCode, 400, 'a kind there is not');
  t.equal(count(app, 'customer_requests'), before, 'nothing was written');
});

t.test('looking up a number: unknown and malformed numbers are told apart from nothing; a desk question shows only its status', async (t) => {
  const { app, clerk } = await setup(t);
  const unknown = await get(app, '/api/public/requests/2026-999999');
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json().message, /No request has the number 2026-999999\. Check the number/);
  t.equal((await get(app, '/api/public/requests/hello')).statusCode, 404);

  const started = (await app.inject({ method: 'POST', url: '/api/requests', headers: clerk.headers, payload: { channel: 'phone' } })).json();
  t.equal((await get(app, `/api/public/requests/${started.number}`)).statusCode, 404, 'a request still being taken, of no type yet, is not shown');
  const typed = await app.inject({ method: 'PATCH', url: `/api/requests/${started.number}`, headers: clerk.headers, payload: { version: started.version, type: 'information', description: 'When is trash day on Hereford St?' } });
  t.equal(typed.statusCode, 200, typed.body);
  const tracked = (await get(app, `/api/public/requests/${started.number}`)).json();
  t.match(tracked, { kind: 'question', status: 'open', service: null, address: null });
  t.notMatch(JSON.stringify(tracked), /trash/, 'the question asked is not shown');
});

t.test('writes are limited per address: the eleventh report in ten minutes is refused, and nothing is written; another address may still report', async (t) => {
  const { app } = await setup(t);
  const address = '203.0.113.9';
  for (let i = 0; i < 10; i++) t.equal((await post(app, '/api/public/reports', pothole({ location: northOfHereford(1000 * (i + 1)) }), address)).statusCode, 201);
  const before = count(app, 'customer_requests');
  const refused = await post(app, '/api/public/reports', pothole(), address);
  t.equal(refused.statusCode, 429);
  t.match(refused.json(), { code: 'RATE_LIMITED', message: /Rate limit exceeded|try again/i });
  t.ok(refused.headers['retry-after'], 'Retry-After says when');
  t.equal(count(app, 'customer_requests'), before, 'nothing was written');
  t.equal((await post(app, '/api/public/reports', pothole(), '203.0.113.10')).statusCode, 201, 'another address is not held back');
});

t.test('behind the reverse proxy (TRUST_PROXY), an address the client writes itself does not get it past the limits', async (t) => {
  const { app } = await buildTestApp(t, { TRUST_PROXY: 'true' });
  await app.ready();
  loadHierarchy(app.db);
  const proxy = '10.0.0.5';
  // The client claims a new address each time; the proxy appends the one it really saw.
  const report = (i: number) =>
    app.inject({ method: 'POST', url: '/api/public/comments', remoteAddress: proxy, headers: { 'x-forwarded-for': `192.0.2.${i}, 203.0.113.77` }, payload: { kind: 'other', text: `Comment ${i}` } });
  for (let i = 1; i <= 10; i++) t.equal((await report(i)).statusCode, 201);
  t.equal((await report(11)).statusCode, 429, 'the eleventh from the same resident is refused, whatever it claimed');
});

