import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { addresses } from '../../db/schema/addresses.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { csrfHeader } from '../../server/plugins/auth.ts';
import { buildTestApp, signedInAs, type SignedIn } from '../helper.ts';

interface Contact {
  id: number;
  name: string;
  organisation: string;
  phones: { label: string; number: string }[];
  emails: string[];
  postalAddress: string;
  addressId: number | null;
  preferredReply: string | null;
  language: string;
  notes: string;
  version: number;
}
interface Hit {
  id: number;
  name: string;
  organisation: string;
  phones: { label: string; number: string }[];
  emails: string[];
  postalAddress: string;
  matched: string[];
}

async function setup(t: Test): Promise<{ app: FastifyInstance; clerk: SignedIn }> {
  const { app } = await buildTestApp(t);
  await app.ready();
  return { app, clerk: await signedInAs(app, 'clerk') };
}

async function create(app: FastifyInstance, who: SignedIn, body: object): Promise<Contact> {
  const res = await app.inject({ method: 'POST', url: '/api/contacts', headers: who.headers, payload: body });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as Contact;
}

async function search(app: FastifyInstance, who: SignedIn, q: string, extra = ''): Promise<Hit[]> {
  const res = await app.inject({ method: 'GET', url: `/api/contacts?q=${encodeURIComponent(q)}${extra}`, headers: { cookie: who.cookie } });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json() as { hits: Hit[] }).hits;
}

const counts = (app: FastifyInstance) => ({
  contacts: app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM contacts`)!.n,
  indexed: app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM contact_search`)!.n,
});

const zoe = {
  name: 'Zoë Castellanos',
  phones: [{ label: 'mobile', number: '617-555-0123' }],
  emails: ['zoe.castellanos@example.org'],
  postalAddress: '42 Dorchester Avenue, Apt 3, South Boston, MA 02127',
  preferredReply: 'email',
};
const lukasz = {
  name: 'Łukasz Nowak',
  phones: [{ label: 'home', number: '+1 (617) 555-0999' }],
  emails: ['lnowak@bostonmail.example'],
  postalAddress: '18 Beacon Street, Boston, MA 02108',
  preferredReply: 'phone',
};
const garden = { organisation: 'Friends of the Public Garden', phones: [{ label: 'office', number: '(617) 723-8144 ext. 12' }], postalAddress: '69 Beacon Street, Boston, MA 02108' };

t.test('a new caller is found as you type by name, diacritics, e-mail, every way a phone is read out, and address', async (t) => {
  const { app, clerk } = await setup(t);
  const z = await create(app, clerk, zoe);
  const l = await create(app, clerk, lukasz);
  const g = await create(app, clerk, garden);
  t.equal(z.version, 1);
  t.same(z.phones, zoe.phones);
  t.equal(g.name, '', 'an organisation needs no person’s name');

  const ids = async (q: string) => (await search(app, clerk, q)).map((h) => h.id);
  t.same(await ids('Zo'), [z.id], 'a name prefix');
  t.same(await ids('zoe'), [z.id], '"zoe" finds "Zoë"');
  t.same(await ids('castellanos zo'), [z.id], 'several words, the last a prefix');
  t.same(await ids('lukasz'), [l.id], '"lukasz" finds "Łukasz"');
  t.same(await ids('NOWAK'), [l.id], 'case folds');
  t.same(await ids('public garden'), [g.id], 'an organisation by its name');

  t.same(await ids('zoe.castellanos@example.org'), [z.id], 'a whole e-mail');
  t.same(await ids('zoe.castellanos'), [z.id], 'the part of an e-mail before the @');
  t.same(await ids('lnowak'), [l.id], 'an e-mail’s local part alone');

  for (const typed of ['617 555 01', '+1 (617) 555-0123', '5550123', '617-555-0123', '6175550123', '1-617-555-0123', '(617) 555']) {
    t.ok((await ids(typed)).includes(z.id), `"${typed}" finds 617-555-0123`);
  }
  t.notOk((await ids('617 555 01')).includes(l.id), '"617 555 01" does not find 617-555-0999');
  t.same(await ids('5550999'), [l.id], 'the last seven digits of a number stored with +1');
  t.same(await ids('617 555 09'), [l.id], 'a number stored with +1 found without it');
  t.same(await ids('7238144'), [g.id], 'the extension is not part of the number');
  t.same((await ids('617')).sort(), [z.id, l.id, g.id].sort(), 'an area code finds every number in it');

  t.same(await ids('dorchester'), [z.id], 'a street word of the postal address');
  t.same((await ids('beacon st')).sort(), [l.id, g.id].sort(), 'address words');
  t.same(await ids('69 beacon'), [g.id], 'a house number and a street');
  t.same(await ids('02127'), [z.id], 'a postcode');

  const hit = (await search(app, clerk, 'zoe'))[0]!;
  t.same(hit, { id: z.id, name: 'Zoë Castellanos', organisation: '', phones: zoe.phones, emails: zoe.emails, postalAddress: zoe.postalAddress, matched: ['name', 'email'] }, 'a hit carries what the desk shows and what matched');
  t.same((await search(app, clerk, '617 555 01'))[0]?.matched, ['phone']);
  t.same((await search(app, clerk, 'dorchester'))[0]?.matched, ['address']);

  t.same(await search(app, clerk, ''), [], 'blank text finds nothing');
  t.same(await search(app, clerk, '   '), [], 'spaces find nothing');
  t.same(await search(app, clerk, 'Fitzgerald'), [], 'an unknown name finds nothing');
});

t.test('the best match comes first and the list is bounded', async (t) => {
  const { app, clerk } = await setup(t);
  // "Murphy" in the address of many, in the name of one: the name outranks the address.
  for (let i = 1; i <= 30; i++) await create(app, clerk, { name: `Resident ${i}`, postalAddress: `${i} Murphy Court, Dorchester, MA 02122` });
  const named = await create(app, clerk, { name: 'Siobhan Murphy', postalAddress: '7 Adams Street, Dorchester, MA 02122' });
  const hits = await search(app, clerk, 'murphy');
  t.equal(hits.length, 8, 'eight by default');
  t.equal(hits[0]?.id, named.id, 'the name match first');
  t.equal((await search(app, clerk, 'murphy', '&limit=25')).length, 25, 'up to 25 when asked');
  const tooMany = await app.inject({ method: 'GET', url: '/api/contacts?q=murphy&limit=26', headers: { cookie: clerk.cookie } });
  t.equal(tooMany.statusCode, 400);
  t.same(tooMany.json().details.map((d: { field: string }) => d.field), ['/querystring/limit']);
});

t.test('text is trimmed, and nothing else the caller would not recognise is changed', async (t) => {
  const { app, clerk } = await setup(t);
  const c = await create(app, clerk, {
    name: '  Marcus Johnson ',
    organisation: ' ',
    phones: [{ label: ' work ', number: ' (617) 635-4500 ' }],
    emails: ['Marcus.Johnson@Example.org'],
    postalAddress: ' 1 City Hall Square, Boston, MA 02201 ',
    language: 'en',
    notes: ' Prefers mornings. ',
  });
  t.equal(c.name, 'Marcus Johnson');
  t.equal(c.organisation, '');
  t.same(c.phones, [{ label: 'work', number: '(617) 635-4500' }], 'the number keeps its punctuation');
  t.same(c.emails, ['Marcus.Johnson@Example.org'], 'the e-mail keeps its capitals');
  t.equal(c.postalAddress, '1 City Hall Square, Boston, MA 02201');
  t.equal(c.notes, 'Prefers mornings.');
  t.equal(c.preferredReply, null);
  t.equal(c.addressId, null);

  const got = await app.inject({ method: 'GET', url: `/api/contacts/${c.id}`, headers: { cookie: clerk.cookie } });
  t.equal(got.statusCode, 200);
  t.same(got.json(), c, 'read back as created');
  const missing = await app.inject({ method: 'GET', url: '/api/contacts/99999', headers: { cookie: clerk.cookie } });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'NOT_FOUND');
});

t.test('every validation problem names its field and nothing is saved', async (t) => {
  const { app, clerk } = await setup(t);
  const post = (body: object) => app.inject({ method: 'POST', url: '/api/contacts', headers: clerk.headers, payload: body });
  const cases: [string, object, string[]][] = [
    ['no name and no organisation', { name: '  ', organisation: '', phones: [{ label: '', number: '617-555-0101' }] }, ['/body/name']],
    ['letters in a phone', { name: 'Aisha Rahman', phones: [{ label: 'mobile', number: 'call me at home' }] }, ['/body/phones/0/number']],
    ['too few digits', { name: 'Aisha Rahman', phones: [{ label: 'mobile', number: '617-555-0101' }, { label: 'work', number: '555-01' }] }, ['/body/phones/1/number']],
    ['not an e-mail', { name: 'Aisha Rahman', emails: ['aisha.rahman@example.org', 'aisha at example dot org'] }, ['/body/emails/1']],
    ['reply by e-mail without one', { name: 'Aisha Rahman', phones: [{ label: '', number: '617-555-0101' }], preferredReply: 'email' }, ['/body/preferredReply']],
    ['reply by phone without one', { name: 'Aisha Rahman', emails: ['aisha.rahman@example.org'], preferredReply: 'phone' }, ['/body/preferredReply']],
    ['reply by letter without an address', { name: 'Aisha Rahman', preferredReply: 'letter' }, ['/body/preferredReply']],
    ['an address that is not in the registry', { name: 'Aisha Rahman', postalAddress: '12 Tremont Street', addressId: 4242 }, ['/body/addressId']],
    ['several at once', { name: '', phones: [{ label: '', number: '12' }], preferredReply: 'email', addressId: 4242 }, ['/body/name', '/body/phones/0/number', '/body/preferredReply', '/body/addressId']],
    ['an unknown field', { name: 'Aisha Rahman', twitter: '@aisha' }, ['/body/twitter']],
  ];
  for (const [what, body, fields] of cases) {
    const res = await post(body);
    t.equal(res.statusCode, 400, what);
    t.equal(res.json().code, 'VALIDATION_FAILED', what);
    t.same((res.json().details as { field: string }[]).map((d) => d.field).sort(), [...fields].sort(), `${what}: names ${fields.join(', ')}`);
  }
  t.same(counts(app), { contacts: 0, indexed: 0 }, 'no contact was saved or indexed');
  t.equal(app.db.select().from(auditLog).where(eq(auditLog.entityType, 'contact')).all().length, 0, 'nothing was audited');

  // The same rules hold for a good contact with a registry address, and for an edit.
  const now = new Date().toISOString();
  const address = app.db.insert(addresses).values({ number: '12', street: 'Tremont Street', city: 'Boston', postcode: '02108', latitude: 42.3573, longitude: -71.0604, createdAt: now, updatedAt: now }).returning().get();
  const ok = await create(app, clerk, { name: 'Aisha Rahman', postalAddress: '12 Tremont Street, Boston, MA 02108', addressId: address.id, preferredReply: 'letter' });
  t.equal(ok.addressId, address.id, 'a registry address is linked');
  const bad = await app.inject({
    method: 'PUT',
    url: `/api/contacts/${ok.id}`,
    headers: clerk.headers,
    payload: { ...ok, id: undefined, createdAt: undefined, updatedAt: undefined, postalAddress: '', addressId: 4242 },
  });
  t.equal(bad.statusCode, 400);
  t.same((bad.json().details as { field: string }[]).map((d) => d.field).sort(), ['/body/addressId', '/body/preferredReply']);
  const after = (await app.inject({ method: 'GET', url: `/api/contacts/${ok.id}`, headers: { cookie: clerk.cookie } })).json() as Contact;
  t.same(after, ok, 'the refused edit changed nothing');
});

const editable = (c: Contact) => ({
  name: c.name,
  organisation: c.organisation,
  phones: c.phones,
  emails: c.emails,
  postalAddress: c.postalAddress,
  addressId: c.addressId,
  preferredReply: c.preferredReply,
  language: c.language,
  notes: c.notes,
  version: c.version,
});

t.test('an edit replaces the fields, bumps the version, re-indexes and is audited; a stale version changes nothing', async (t) => {
  const { app, clerk } = await setup(t);
  const other = await signedInAs(app, 'clerk');
  const c = await create(app, clerk, zoe);
  const put = (who: SignedIn, body: object) => app.inject({ method: 'PUT', url: `/api/contacts/${c.id}`, headers: who.headers, payload: body });

  const moved = { ...editable(c), postalAddress: '250 Commonwealth Avenue, Back Bay, MA 02116', phones: [{ label: 'mobile', number: '617 555 0342' }] };
  const saved = await put(other, moved);
  t.equal(saved.statusCode, 200);
  const updated = saved.json() as Contact;
  t.equal(updated.version, 2);
  t.equal(updated.postalAddress, moved.postalAddress);
  t.same((await search(app, clerk, 'commonwealth')).map((h) => h.id), [c.id], 'found by the new address');
  t.same(await search(app, clerk, 'dorchester'), [], 'no longer by the old one');
  t.same(await search(app, clerk, '617 555 0123'), [], 'nor by the old phone');
  t.same((await search(app, clerk, '5550342')).map((h) => h.id), [c.id], 'but by the new one');

  const audit = app.db.select().from(auditLog).where(eq(auditLog.entityType, 'contact')).all();
  t.same(audit.map((a) => [a.action, a.entityId, a.actorUserId]), [
    ['contact.created', String(c.id), clerk.user.id],
    ['contact.updated', String(c.id), other.user.id],
  ]);
  t.same(audit[1]!.changes, {
    phones: { before: zoe.phones, after: moved.phones },
    postalAddress: { before: zoe.postalAddress, after: moved.postalAddress },
  }, 'the edit is audited with before and after');

  const stale = await put(clerk, { ...editable(c), name: 'Zoe Castellanos-Reyes' });
  t.equal(stale.statusCode, 409);
  t.equal(stale.json().code, 'VERSION_CONFLICT');
  const now = (await app.inject({ method: 'GET', url: `/api/contacts/${c.id}`, headers: { cookie: clerk.cookie } })).json() as Contact;
  t.same(now, updated, 'the stale edit changed nothing');
  t.same(await search(app, clerk, 'reyes'), [], 'nor the index');
  t.equal(app.db.select().from(auditLog).where(eq(auditLog.entityType, 'contact')).all().length, 2, 'nor the audit trail');

  const same = await put(clerk, editable(updated));
  t.equal(same.json().version, 2, 'saving without a change makes no new version');

  const partial = await put(clerk, { version: 2, name: 'Zoë Castellanos' });
  t.equal(partial.statusCode, 400, 'an edit sends every field');
  const missing = await app.inject({ method: 'PUT', url: '/api/contacts/99999', headers: clerk.headers, payload: editable(updated) });
  t.equal(missing.statusCode, 404);
});

t.test('an Idempotency-Key makes a retried creation one contact; the same key for another body is refused', async (t) => {
  const { app, clerk } = await setup(t);
  const post = (who: SignedIn, key: string, body: object) =>
    app.inject({ method: 'POST', url: '/api/contacts', headers: { ...who.headers, 'idempotency-key': key }, payload: body });
  const first = await post(clerk, 'desk-7f3a91', lukasz);
  t.equal(first.statusCode, 201);
  const again = await post(clerk, 'desk-7f3a91', lukasz);
  t.equal(again.statusCode, 201, 'a replay answers as the first time');
  t.equal(again.json().id, first.json().id, 'with the same contact');
  t.same(counts(app), { contacts: 1, indexed: 1 }, 'one row');

  const reused = await post(clerk, 'desk-7f3a91', { ...lukasz, name: 'Lukas Novak' });
  t.equal(reused.statusCode, 422);
  t.equal(reused.json().code, 'IDEMPOTENCY_KEY_REUSED');
  t.same(counts(app), { contacts: 1, indexed: 1 }, 'still one row');

  const colleague = await signedInAs(app, 'clerk');
  const theirs = await post(colleague, 'desk-7f3a91', lukasz);
  t.equal(theirs.statusCode, 201, 'another clerk’s keys are their own');
  t.not(theirs.json().id, first.json().id);

  const invalid = await post(clerk, 'desk-b20c44', { name: '' });
  t.equal(invalid.statusCode, 400);
  const fixed = await post(clerk, 'desk-b20c44', { name: 'Grace Liu' });
  t.equal(fixed.statusCode, 201, 'a refused creation does not use up its key');
  t.equal(counts(app).contacts, 3);
});

t.test('callers are for signed-in staff, and changes need the CSRF token', async (t) => {
  const { app, clerk } = await setup(t);
  const c = await create(app, clerk, zoe);
  for (const [method, url] of [
    ['GET', '/api/contacts?q=zoe'],
    ['GET', `/api/contacts/${c.id}`],
    ['POST', '/api/contacts'],
    ['PUT', `/api/contacts/${c.id}`],
  ] as const) {
    const res = await app.inject({ method, url, ...(method === 'POST' || method === 'PUT' ? { payload: editable(c) } : {}) });
    t.equal(res.statusCode, 401, `${method} ${url} without a session`);
  }

  const noToken = await app.inject({ method: 'POST', url: '/api/contacts', headers: { cookie: clerk.cookie }, payload: lukasz });
  t.equal(noToken.statusCode, 403);
  t.equal(noToken.json().code, 'CSRF_REJECTED');
  const wrongToken = await app.inject({ method: 'PUT', url: `/api/contacts/${c.id}`, headers: { cookie: clerk.cookie, [csrfHeader]: 'x'.repeat(32) }, payload: { ...editable(c), name: 'Mallory' } });
  t.equal(wrongToken.statusCode, 403);
  t.same(counts(app), { contacts: 1, indexed: 1 }, 'nothing created');
  t.equal(((await app.inject({ method: 'GET', url: `/api/contacts/${c.id}`, headers: { cookie: clerk.cookie } })).json() as Contact).name, 'Zoë Castellanos', 'nothing changed');
});
