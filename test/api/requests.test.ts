// Customer requests through the real API on a fresh database with the sample city's hierarchy and
// knowledge base: saved at once, shaped by type (enforced by the server), cancelled never deleted,
// one contact making several requests, idempotent creation, lists and history.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { addresses } from '../../db/schema/addresses.ts';
import { systemActor } from '../../server/audit/service.ts';
import { loadSampleArticles } from '../../server/kb/seed.ts';
import { buildTestApp, createTestCaller, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

interface Setup {
  app: FastifyInstance;
  clerk: SignedIn;
  admin: SignedIn;
  addressId: number;
  contactId: number;
}

async function setup(t: Test): Promise<Setup> {
  const { app } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  loadSampleArticles(app.db, systemActor);
  const at = new Date().toISOString();
  // A real Boston address from the sample registry (the registry has its own tests), and a caller.
  const address = app.db
    .insert(addresses)
    .values({ number: '40', street: 'Hereford St', postcode: '02115', city: 'Back Bay', region: 'MA', latitude: 42.3494, longitude: -71.0858, createdAt: at, updatedAt: at })
    .returning()
    .get();
  const contact = createTestCaller(app.db);
  return { app, clerk: await signedInAs(app, 'clerk'), admin: await signedInAs(app, 'admin'), addressId: address.id, contactId: contact.id };
}

type Json = Record<string, unknown> & { number: string; version: number };

async function newRequest(s: Setup, body: Record<string, unknown> = { channel: 'phone' }, who = s.clerk): Promise<Json> {
  const res = await s.app.inject({ method: 'POST', url: '/api/requests', headers: who.headers, payload: body });
  if (res.statusCode !== 201) throw new Error(`creating a request failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function patch(s: Setup, r: { number: string; version: number }, body: Record<string, unknown>) {
  return s.app.inject({ method: 'PATCH', url: `/api/requests/${r.number}`, headers: s.clerk.headers, payload: { version: r.version, ...body } });
}

async function post(s: Setup, r: { number: string; version: number }, action: string, body: Record<string, unknown> = {}) {
  return s.app.inject({ method: 'POST', url: `/api/requests/${r.number}/${action}`, headers: s.clerk.headers, payload: { version: r.version, ...body } });
}

const get = async (s: Setup, number: string): Promise<Json> => (await s.app.inject({ method: 'GET', url: `/api/requests/${number}`, headers: s.clerk.headers })).json();
const fields = (res: { json: () => { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);

t.test('a new contact is saved at once with a number, channel, time and clerk, before anything else is known', async (t) => {
  const s = await setup(t);
  const before = Date.now();
  const first = await newRequest(s);
  const second = await newRequest(s, { channel: 'walk_in' });
  const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric' }).format(new Date());
  t.match(first.number, new RegExp(`^${year}-\\d{6}$`), 'numbered by the year in the city and a sequence');
  t.equal(Number(second.number.slice(5)), Number(first.number.slice(5)) + 1, 'numbers follow one another');
  t.equal(first.channel, 'phone');
  t.equal(first.status, 'open');
  t.equal(first.type, null, 'the type comes later');
  t.same(first.clerk, { id: s.clerk.user.id, username: s.clerk.user.username, displayName: s.clerk.user.displayName });
  t.ok(Date.parse(first.startedAt as string) >= before - 1000, 'the time the contact started');
  t.equal((await s.app.inject({ method: 'POST', url: '/api/requests', payload: { channel: 'phone' } })).statusCode, 401, 'only staff take contacts');

  const noChannel = await s.app.inject({ method: 'POST', url: '/api/requests', headers: s.clerk.headers, payload: {} });
  t.equal(noChannel.statusCode, 400);
  t.same(fields(noChannel), ['/body/channel']);
  const web = await s.app.inject({ method: 'POST', url: '/api/requests', headers: s.clerk.headers, payload: { channel: 'open311' } });
  t.equal(web.statusCode, 400, 'partner and portal channels are not typed in at the desk');
  t.match(web.json().message, /portal or the Open311 API/);
  const list = (await s.app.inject({ method: 'GET', url: '/api/requests', headers: s.clerk.headers })).json();
  t.equal(list.items.length, 2, 'refused creations made nothing');
});

t.test('a retried creation with the same Idempotency-Key makes one request; the key with another body is refused', async (t) => {
  const s = await setup(t);
  const headers = { ...s.clerk.headers, 'idempotency-key': 'desk-7f3a9c' };
  const a = await s.app.inject({ method: 'POST', url: '/api/requests', headers, payload: { channel: 'phone' } });
  const b = await s.app.inject({ method: 'POST', url: '/api/requests', headers, payload: { channel: 'phone' } });
  t.equal(a.statusCode, 201);
  t.equal(b.statusCode, 201);
  t.equal(b.json().number, a.json().number, 'the retry gets the request made the first time');
  t.equal(b.headers['idempotent-replayed'], 'true');
  const other = await s.app.inject({ method: 'POST', url: '/api/requests', headers, payload: { channel: 'email' } });
  t.equal(other.statusCode, 422);
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');
  const bad = await s.app.inject({ method: 'POST', url: '/api/requests', headers: { ...s.clerk.headers, 'idempotency-key': 'has spaces' }, payload: { channel: 'phone' } });
  t.equal(bad.statusCode, 400);
  // Another clerk's key space is their own.
  const other2 = await signedInAs(s.app, 'clerk');
  const c = await s.app.inject({ method: 'POST', url: '/api/requests', headers: { ...other2.headers, 'idempotency-key': 'desk-7f3a9c' }, payload: { channel: 'phone' } });
  t.not(c.json().number, a.json().number);
  t.equal((await s.app.inject({ method: 'GET', url: '/api/requests', headers: s.clerk.headers })).json().items.length, 2);
});

t.test('an information request is answered from the knowledge base, closed and resolved at first contact', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  // Picking an article in the panel makes an untyped request an information request.
  const used = await s.app.inject({ method: 'POST', url: `/api/requests/${r.number}/articles`, headers: s.clerk.headers, payload: { slug: 'trash-collection-day' } });
  t.equal(used.statusCode, 200);
  r = used.json();
  t.equal(r.type, 'information');
  t.same(r.articles, [{ slug: 'trash-collection-day', title: (r.articles as { title: string }[])[0]!.title }]);
  const again = await s.app.inject({ method: 'POST', url: `/api/requests/${r.number}/articles`, headers: s.clerk.headers, payload: { slug: 'trash-collection-day' } });
  t.equal((again.json().articles as unknown[]).length, 1, 'the same article twice is one use');
  const unknown = await s.app.inject({ method: 'POST', url: `/api/requests/${r.number}/articles`, headers: s.clerk.headers, payload: { slug: 'no-such-article' } });
  t.equal(unknown.statusCode, 400);

  const incomplete = await post(s, r, 'complete');
  t.equal(incomplete.statusCode, 400);
  t.same(fields(incomplete), ['/body/description'], 'the question is required');
  t.equal((await get(s, r.number)).status, 'open', 'a refused completion changes nothing');

  r = (await patch(s, r, { description: 'Which day is trash collected on Hereford St?', answer: 'Tuesday; recycling every other Tuesday.' })).json();
  const done = await post(s, r, 'complete');
  t.equal(done.statusCode, 200);
  t.equal(done.json().status, 'closed');
  t.equal(done.json().resolvedAtFirstContact, true, 'resolved at first contact unless the clerk says otherwise');
  t.ok(done.json().endedAt && done.json().closedAt);
  const events = s.app.db.$client.prepare(`SELECT e.kind, r.number FROM kb_article_events e JOIN customer_requests r ON r.id = e.request_id`).all();
  t.same(events, [{ kind: 'use', number: r.number }], 'the use points at the request itself');
  t.equal((await s.app.inject({ method: 'GET', url: '/api/kb/articles/trash-collection-day', headers: s.clerk.headers })).json().counts.uses, 1);

  // Not resolved: the clerk says so before completing.
  let r2 = await newRequest(s);
  r2 = (await patch(s, r2, { type: 'information', description: 'Can I get a refund on a parking ticket?', answer: 'Transferred to the Office of the Parking Clerk.', resolvedAtFirstContact: false })).json();
  t.equal((await post(s, r2, 'complete')).json().resolvedAtFirstContact, false);
});

t.test('fields of another type are refused by name and change nothing', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  const untyped = await patch(s, r, { answer: 'x' });
  t.equal(untyped.statusCode, 400);
  t.match(untyped.json().details, [{ field: '/body/answer', message: /choose the type first/ }]);
  r = (await patch(s, r, { type: 'comment', description: 'Thank you for the new bench' })).json();
  const wrong = await patch(s, r, { answer: 'x', problemCode: 'S0301', commentKind: 'compliment' });
  t.equal(wrong.statusCode, 400);
  t.same(fields(wrong).sort(), ['/body/answer', '/body/problemCode']);
  const now = await get(s, r.number);
  t.equal(now.version, r.version, 'nothing was saved');
  t.equal(now.commentKind, null, 'not even the valid field of the same call');
  const unknownField = await patch(s, r, { priority: 'high' });
  t.equal(unknownField.statusCode, 400, 'unknown fields are refused');
  // Choosing another type while open clears the fields of the one before; the history keeps them.
  r = (await patch(s, r, { commentKind: 'compliment', about: 'PARK' })).json();
  t.equal((r.about as { code: string }).code, 'PARK');
  r = (await patch(s, r, { type: 'information' })).json();
  t.equal(r.commentKind, null);
  t.equal(r.about, null);
  t.equal(r.description, 'Thank you for the new bench', 'what the customer said stays');
  r = (await patch(s, r, { type: 'comment' })).json();
  // Replies are owed by comments and action requests; an information request is answered in the call.
  r = (await patch(s, r, { replyWanted: true, replyMethod: 'letter', replyTo: '29 Hereford St, Boston MA 02115' })).json();
  r = (await patch(s, r, { type: 'information' })).json();
  t.match(r, { replyWanted: false, replyMethod: null, replyTo: '' }, 'switching to information drops the reply it cannot owe');
  const replyOnInformation = await patch(s, r, { replyWanted: true });
  t.same(fields(replyOnInformation), ['/body/replyWanted']);
  r = (await patch(s, r, { type: 'comment' })).json();
  const notADept = await patch(s, r, { about: 'S0301' });
  t.equal(notADept.statusCode, 400);
  t.same(fields(notADept), ['/body/about']);
});

t.test('an action request takes a problem code, a location and answers checked against the code’s questions', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s, { channel: 'phone', contactId: s.contactId });
  r = (await patch(s, r, { type: 'action', problemCode: 'BULK_ITEM_PICKUP', description: 'Old sofa and a mattress on the curb' })).json();
  t.same(r.classification, {
    code: 'BULK_ITEM_PICKUP',
    name: 'Bulk item pickup',
    path: [
      { level: 'department', code: 'PWD', name: (r.classification as { path: { name: string }[] }).path[0]!.name },
      { level: 'provider', code: 'PWD-WASTE', name: (r.classification as { path: { name: string }[] }).path[1]!.name },
      { level: 'category', code: 'PWD-WASTE-COLL', name: (r.classification as { path: { name: string }[] }).path[2]!.name },
    ],
  });
  t.same((r.notices as { code: string }[]).map((n) => n.code), ['PROHIBITED'], 'the code’s read-only notices are shown to the clerk');

  const bad = await patch(s, r, { answers: { ITEMS: ['SOFA'], ITEM_COUNT: 'three', PROHIBITED: 'ok', COLOUR: 'red' } });
  t.equal(bad.statusCode, 400);
  t.same(fields(bad).sort(), ['/body/answers/COLOUR', '/body/answers/ITEMS', '/body/answers/ITEM_COUNT', '/body/answers/PROHIBITED']);
  t.match(bad.json().details.find((d: { field: string }) => d.field === '/body/answers/ITEMS').message, /SOFA, which is not one of: FURNITURE/);
  t.match(bad.json().details.find((d: { field: string }) => d.field === '/body/answers/PROHIBITED').message, /notice/);
  t.same((await get(s, r.number)).answers, {}, 'nothing was saved');

  const incomplete = await post(s, r, 'complete');
  t.equal(incomplete.statusCode, 400);
  t.same(fields(incomplete).sort(), ['/body/answers/ITEMS', '/body/answers/ITEM_COUNT', '/body/location']);

  const badLocation = await patch(s, r, { location: { addressId: 999999 } });
  t.same(fields(badLocation), ['/body/location/addressId']);
  const halfCoordinates = await patch(s, r, { location: { latitude: 42.35 } });
  t.same(fields(halfCoordinates), ['/body/location/longitude']);
  const outOfRange = await patch(s, r, { location: { latitude: 142.35, longitude: -71 } });
  t.equal(outOfRange.statusCode, 400);

  r = (await patch(s, r, { answers: { ITEMS: ['FURNITURE', 'MATTRESS_OR_BOX_SPRING'], ITEM_COUNT: 2 }, location: { addressId: s.addressId } })).json();
  t.same(r.location, { addressId: s.addressId, text: '40 Hereford St, 02115', latitude: 42.3494, longitude: -71.0858, verified: true });
  const done = await post(s, r, 'complete');
  t.equal(done.statusCode, 200);
  t.equal(done.json().status, 'ready', 'ready for its work order');
  t.same(done.json().answers, { ITEMS: ['FURNITURE', 'MATTRESS_OR_BOX_SPRING'], ITEM_COUNT: 2 });

  // A ready request can be corrected but must stay complete.
  const emptied = await patch(s, done.json(), { answers: { ITEM_COUNT: 2 } });
  t.equal(emptied.statusCode, 400);
  t.same(fields(emptied), ['/body/answers/ITEMS']);
});

t.test('a location not in the registry is kept unverified, and coordinates can be given alone', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  r = (await patch(s, r, { type: 'action', problemCode: 'S0301', location: { text: 'Behind the library on Boylston, near the bike rack' } })).json();
  t.same(r.location, { addressId: null, text: 'Behind the library on Boylston, near the bike rack', latitude: null, longitude: null, verified: false });
  r = (await patch(s, r, { location: { latitude: 42.3496, longitude: -71.0781 } })).json();
  t.same(r.location, { addressId: null, text: '', latitude: 42.3496, longitude: -71.0781, verified: false });
  const empty = await patch(s, r, { location: {} });
  t.same(fields(empty), ['/body/location']);
});

t.test('a request keeps its classification as named then, whatever is renamed, moved or retired later', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  r = (await patch(s, r, { type: 'action', problemCode: 'S0301', location: { addressId: s.addressId }, answers: { WHISPOLO: 'STREE001' } })).json();
  r = (await post(s, r, 'complete')).json();
  const before = r.classification;

  const node = async (code: string) => (await s.app.inject({ method: 'GET', url: `/api/hierarchy/nodes/${code}`, headers: s.admin.headers })).json();
  const admin = (method: 'PATCH' | 'POST', url: string, payload: object) => s.app.inject({ method, url: `/api/hierarchy/nodes/${url}`, headers: s.admin.headers, payload });
  t.equal((await admin('PATCH', 'S0301', { version: (await node('S0301')).version, name: 'Road surface defect' })).statusCode, 200);
  t.equal((await admin('PATCH', 'PWD-HWY-STREET', { version: (await node('PWD-HWY-STREET')).version, name: 'Roads' })).statusCode, 200);
  const otherCategory = (await node('PWD-WASTE')).children[0].code as string;
  t.equal((await admin('POST', 'S0301/move', { version: (await node('S0301')).version, parentCode: otherCategory })).statusCode, 200);
  t.equal((await admin('POST', 'S0301/retire', { version: (await node('S0301')).version })).statusCode, 200);

  const after = await get(s, r.number);
  t.same(after.classification, before, 'the code, its name and its path as they were');
  t.equal((after.classification as { name: string }).name, 'Pothole repair');
  t.equal(after.problemCodeStatus, 'retired', 'and what the code is now is said apart');
  const fixed = await patch(s, after, { description: 'Deep pothole in the right lane' });
  t.equal(fixed.statusCode, 200, 'a ready request is still corrected after its code was retired');
  t.same(fixed.json().classification, before);

  const fresh = await newRequest(s);
  await patch(s, fresh, { type: 'action' });
  const retired = await patch(s, await get(s, fresh.number), { problemCode: 'S0301' });
  t.equal(retired.statusCode, 422);
  t.equal(retired.json().code, 'PROBLEM_CODE_RETIRED');
});

t.test('a code retired between choosing it and completing stops the completion', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  r = (await patch(s, r, { type: 'action', problemCode: 'S0301', location: { addressId: s.addressId }, answers: { WHISPOLO: 'ALLEY002' } })).json();
  const node = (await s.app.inject({ method: 'GET', url: '/api/hierarchy/nodes/S0301', headers: s.admin.headers })).json();
  await s.app.inject({ method: 'POST', url: '/api/hierarchy/nodes/S0301/retire', headers: s.admin.headers, payload: { version: node.version } });
  const res = await post(s, r, 'complete');
  t.equal(res.statusCode, 422);
  t.equal(res.json().code, 'PROBLEM_CODE_RETIRED');
  t.equal((await get(s, r.number)).status, 'open');
});

t.test('a comment wanting a reply waits in "replies owed" until it is answered', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s, { channel: 'email', contactId: s.contactId });
  r = (await patch(s, r, { type: 'comment', commentKind: 'complaint', about: 'PWD', description: 'The crew left the street dug up for two weeks.', replyWanted: true, replyMethod: 'email' })).json();
  t.equal(r.replyTo, 'maria.delgado@example.org', 'where to reply comes from the caller’s record');
  const anonymous = await newRequest(s);
  const noWhere = await patch(s, anonymous, { type: 'comment', commentKind: 'suggestion', description: 'More benches', replyWanted: true, replyMethod: 'letter' });
  const incomplete = await post(s, noWhere.json(), 'complete');
  t.same(fields(incomplete), ['/body/replyTo'], 'an anonymous caller must say where to reply');

  r = (await post(s, r, 'complete')).json();
  t.equal(r.status, 'awaiting_reply');
  const owed = (await s.app.inject({ method: 'GET', url: '/api/requests?status=awaiting_reply', headers: s.clerk.headers })).json();
  t.same(owed.items.map((i: { number: string }) => i.number), [r.number]);
  t.equal(owed.items[0].replyMethod, 'email');
  t.equal((await post(s, r, 'reply', { text: '' })).statusCode, 400);
  const replied = await post(s, r, 'reply', { text: 'We are sorry; the trench is scheduled to be closed on Monday.' });
  t.equal(replied.statusCode, 200);
  t.equal(replied.json().status, 'closed');
  t.ok(replied.json().repliedAt);
  t.same((await s.app.inject({ method: 'GET', url: '/api/requests?status=awaiting_reply', headers: s.clerk.headers })).json().items, []);
  t.equal((await post(s, replied.json(), 'reply', { text: 'again' })).statusCode, 409, 'answered once');
});

t.test('an information request is converted to an action request and the record keeps its history', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  r = (await patch(s, r, { type: 'information', description: 'When are potholes fixed?', answer: 'Within 3 business days of a report.' })).json();
  r = (await post(s, r, 'complete')).json();
  const converted = await post(s, r, 'convert');
  t.equal(converted.statusCode, 200);
  r = converted.json();
  t.equal(r.type, 'action');
  t.equal(r.status, 'open');
  t.ok(r.convertedAt);
  t.equal(r.description, 'When are potholes fixed?');
  t.equal((await patch(s, r, { type: 'information' })).statusCode, 400, 'no way back');
  t.equal((await post(s, r, 'convert')).statusCode, 409, 'only information requests convert');
  const history = (await s.app.inject({ method: 'GET', url: `/api/requests/${r.number}/history`, headers: s.clerk.headers })).json().items;
  t.same(history.map((h: { action: string }) => h.action), ['request.created', 'request.updated', 'request.completed', 'request.converted']);
  t.same(history[3].changes.type, { before: 'information', after: 'action' });
  t.equal(history[0].actorLabel, s.clerk.user.username, 'who made each change');
});

t.test('nothing is deleted: a request made by mistake is cancelled with a reason', async (t) => {
  const s = await setup(t);
  const r = await newRequest(s);
  const noReason = await post(s, r, 'cancel', { reason: '   ' });
  t.equal(noReason.statusCode, 400);
  t.same(fields(noReason), ['/body/reason']);
  const stale = await post(s, { ...r, version: r.version + 5 }, 'cancel', { reason: 'x' });
  t.equal(stale.statusCode, 409);
  t.equal(stale.json().code, 'VERSION_CONFLICT');
  const cancelled = await post(s, r, 'cancel', { reason: 'Caller dialled 311 by mistake' });
  t.equal(cancelled.json().status, 'cancelled');
  t.equal(cancelled.json().cancelReason, 'Caller dialled 311 by mistake');
  t.equal((await post(s, cancelled.json(), 'cancel', { reason: 'again' })).statusCode, 409);
  t.equal((await patch(s, cancelled.json(), { type: 'comment' })).statusCode, 409, 'a cancelled request is not edited');
  t.equal((await s.app.inject({ method: 'DELETE', url: `/api/requests/${r.number}`, headers: s.clerk.headers })).statusCode, 404, 'there is no delete');
  t.equal((await s.app.inject({ method: 'GET', url: `/api/requests?status=cancelled`, headers: s.clerk.headers })).json().items.length, 1);
});

t.test('one contact makes several requests without re-entering the caller, each counted on its own', async (t) => {
  const s = await setup(t);
  const first = await newRequest(s, { channel: 'phone', contactId: s.contactId });
  const second = await newRequest(s, { sameContactAs: first.number });
  const third = await newRequest(s, { sameContactAs: first.number });
  t.not(second.number, first.number);
  t.equal((second.contact as { id: number }).id, s.contactId, 'the caller carries over');
  t.equal(second.channel, 'phone');
  t.equal(second.interactionId, first.interactionId);
  t.same((third.siblings as { number: string }[]).map((x) => x.number), [first.number, second.number, third.number]);
  const wrongChannel = await s.app.inject({ method: 'POST', url: '/api/requests', headers: s.clerk.headers, payload: { sameContactAs: first.number, channel: 'fax' } });
  t.same(fields(wrongChannel), ['/body/channel']);
  const otherClerk = await signedInAs(s.app, 'clerk');
  const theirs = await s.app.inject({ method: 'POST', url: '/api/requests', headers: otherClerk.headers, payload: { sameContactAs: first.number } });
  t.same(fields(theirs), ['/body/sameContactAs']);
  const earlier = (await s.app.inject({ method: 'GET', url: `/api/requests?contactId=${s.contactId}`, headers: s.clerk.headers })).json();
  t.equal(earlier.items.length, 3, 'the caller’s requests, each its own');
});

t.test('requests are found by number, caller, address, type, status, channel and date, a page at a time', async (t) => {
  const s = await setup(t);
  const a = await newRequest(s, { channel: 'phone', contactId: s.contactId });
  await patch(s, a, { type: 'action', problemCode: 'S0301', location: { addressId: s.addressId } });
  const b = await newRequest(s, { channel: 'email' });
  await patch(s, b, { type: 'comment', description: 'Great job on the snow' });
  const c = await newRequest(s, { channel: 'walk_in' });
  await patch(s, c, { type: 'action', problemCode: 'S0301', location: { text: '12 Unknown Way' } });
  const list = async (q: string) => (await s.app.inject({ method: 'GET', url: `/api/requests?${q}`, headers: s.clerk.headers })).json().items.map((i: { number: string }) => i.number);
  t.same(await list(''), [c.number, b.number, a.number], 'newest first');
  t.same(await list(`number=${a.number}`), [a.number]);
  t.same(await list(`number=${a.number.slice(0, 5)}`), [c.number, b.number, a.number], 'a number’s beginning');
  t.same(await list('caller=maria'), [a.number]);
  t.same(await list('caller=617555'), [a.number], 'by the caller’s phone digits');
  t.same(await list(`caller=${encodeURIComponent('(617) 555-0142')}`), [a.number], 'by the phone as it is written');
  t.same(await list('address=hereford'), [a.number]);
  t.same(await list('address=unknown%20way'), [c.number], 'unverified addresses too');
  t.same(await list('type=comment'), [b.number]);
  t.same(await list('channel=walk_in'), [c.number]);
  t.same(await list('status=open&type=action'), [c.number, a.number]);
  t.same(await list('from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z'), []);
  const page1 = (await s.app.inject({ method: 'GET', url: '/api/requests?limit=2', headers: s.clerk.headers })).json();
  t.equal(page1.nextBefore, b.number);
  t.same(await list(`limit=2&before=${page1.nextBefore}`), [a.number]);
  const item = (await s.app.inject({ method: 'GET', url: `/api/requests?number=${a.number}`, headers: s.clerk.headers })).json().items[0];
  t.match(item, { type: 'action', status: 'open', channel: 'phone', contactName: 'Maria Delgado', problemCode: 'S0301', problemName: 'Pothole repair', locationText: '40 Hereford St, 02115' });
  const bad = await s.app.inject({ method: 'GET', url: '/api/requests?limit=1000&type=nonsense', headers: s.clerk.headers });
  t.equal(bad.statusCode, 400);
  t.same(fields(bad).sort(), ['/querystring/limit', '/querystring/type']);
  t.equal((await s.app.inject({ method: 'GET', url: '/api/requests/2026-99999999', headers: s.clerk.headers })).statusCode, 404);
  t.equal((await s.app.inject({ method: 'GET', url: '/api/requests/not-a-number', headers: s.clerk.headers })).statusCode, 400);
});

t.test('every change is recorded with who and when; writes need the CSRF token', async (t) => {
  const s = await setup(t);
  let r = await newRequest(s);
  r = (await patch(s, r, { type: 'comment', commentKind: 'compliment', description: 'Thanks' })).json();
  const noCsrf = await s.app.inject({ method: 'PATCH', url: `/api/requests/${r.number}`, headers: { cookie: s.clerk.cookie }, payload: { version: r.version, description: 'x' } });
  t.equal(noCsrf.statusCode, 403);
  const history = (await s.app.inject({ method: 'GET', url: `/api/requests/${r.number}/history`, headers: s.clerk.headers })).json().items;
  t.equal(history.length, 2);
  t.same(history[1].changes.commentKind, { before: null, after: 'compliment' });
  t.ok(history[1].at);
});
