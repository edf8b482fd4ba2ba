// POST requests on the Open311 API: a partner with a key reports a problem as a form; it goes through the
// desk's checks, is filed automatically (linked to the work order of the same problem, or new work), and
// is answered in the specification's form — errors included, several at once, changing nothing.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { createApiKey } from '../../server/api-keys/service.ts';
import { systemActor } from '../../server/audit/service.ts';
import { buildTestApp, loadHierarchy, signedInAs } from '../helper.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

async function setup(t: Test, ratePerMinute = 100) {
  const { app } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  const { key } = createApiKey(app.db, systemActor, { partner: 'SeeClickFix', ratePerMinute });
  return { app, key, clerk: await signedInAs(app, 'clerk') };
}

const form = (fields: [string, string][]) => fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const post = (app: FastifyInstance, fields: [string, string][], format = 'json') =>
  app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });
const count = (app: FastifyInstance, table: string) => (app.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const pothole = (key: string, lat = '42.3494', extra: [string, string][] = []): [string, string][] => [
  ['api_key', key],
  ['service_code', 'S0301'],
  ['lat', lat],
  ['long', '-71.0858'],
  ['attribute[WHISPOLO]', 'STREE001'],
  ['description', 'Deep pothole in the right lane'],
  ...extra,
];

t.test('a partner reports a pothole: saved, filed as new work, answered with its number, notice and promise; the next report nearby joins it', async (t) => {
  const { app, key, clerk } = await setup(t);
  const res = await post(app, pothole(key, '42.3494', [['first_name', 'Ana'], ['last_name', 'Souza'], ['email', 'ana.souza@example.org'], ['account_id', 'scf-77']]));
  t.equal(res.statusCode, 201, res.body);
  const [answer] = res.json() as Json[];
  t.match(answer!.service_request_id, /^\d{4}-\d{6}$/);
  t.equal(answer!.account_id, 'scf-77');
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${answer!.service_request_id}`, headers: clerk.headers })).json();
  t.match(saved, { channel: 'open311', source: 'SeeClickFix', type: 'action', status: 'in_progress', problemCode: 'S0301', answers: { WHISPOLO: 'STREE001' }, clerk: null });
  t.equal(saved.contact.name, 'Ana Souza', 'the caller named in the form is a contact');
  t.same(saved.contact.emails, ['ana.souza@example.org']);
  t.equal(answer!.expected_datetime, saved.promisedAt, 'the promise is the work order’s due date');
  t.ok(saved.workOrder, 'on a new work order');

  const second = (await post(app, pothole(key, '42.34942'))).json() as Json[];
  const linked = (await app.inject({ method: 'GET', url: `/api/requests/${second[0]!.service_request_id}`, headers: clerk.headers })).json();
  t.equal(linked.workOrder.number, saved.workOrder.number, 'a report 2 m away joins the same work order (automatic mode)');
  t.equal(count(app, 'work_orders'), 1);
  const history = (await app.inject({ method: 'GET', url: `/api/requests/${saved.number}/history`, headers: clerk.headers })).json();
  t.equal(history.items[0].actorLabel, 'open311:SeeClickFix', 'the history names the partner');

  const xml = await post(app, pothole(key, '42.3600'), 'xml');
  t.equal(xml.statusCode, 201);
  t.equal(xml.headers['content-type'], 'text/xml; charset=utf-8');
  const parsed = new XMLParser().parse(xml.body) as Json;
  t.match(parsed.service_requests.request.service_request_id, /^\d{4}-\d{6}$/, 'XML: <service_requests><request><service_request_id>');
});

t.test('multi-value list answers come as attribute[CODE][]; numbers as numbers', async (t) => {
  const { app, key, clerk } = await setup(t);
  const res = await post(app, [
    ['api_key', key],
    ['service_code', 'BULK_ITEM_PICKUP'],
    ['address_string', '40 Hereford St'],
    ['attribute[ITEMS][]', 'FURNITURE'],
    ['attribute[ITEMS][]', 'APPLIANCE'],
    ['attribute[ITEM_COUNT]', '2'],
  ]);
  t.equal(res.statusCode, 201, res.body);
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${(res.json() as Json[])[0]!.service_request_id}`, headers: clerk.headers })).json();
  t.same(saved.answers, { ITEMS: ['FURNITURE', 'APPLIANCE'], ITEM_COUNT: 2 });
  t.match(saved.location, { text: '40 Hereford St', verified: false }, 'an address as the partner wrote it');
});

t.test('a wrong report gets every error at once, in the specification’s form, and nothing is written', async (t) => {
  const { app, key } = await setup(t);
  const before = ['customer_requests', 'contacts', 'work_orders'].map((table) => count(app, table));
  const res = await post(app, [
    ['api_key', key],
    ['service_code', 'S0301'],
    ['lat', '95'],
    ['long', '-71.0858'],
    ['attribute[WHISPOLO]', 'NOWHERE'],
    ['description', 'x'.repeat(4001)],
    ['email', 'not an address'],
    ['media_url', 'file:///etc/passwd'],
  ]);
  t.equal(res.statusCode, 400);
  const errors = res.json() as { code: number; description: string }[];
  t.ok(errors.every((e) => e.code === 400));
  const said = errors.map((e) => e.description).join(' | ');
  t.match(said, /description is 4001 characters long; at most 4,000/);
  t.match(said, /lat must be from -90 to 90/);
  t.match(said, /attribute\[WHISPOLO\]/);
  t.match(said, /email is not an e-mail address/);
  t.match(said, /media_url must be a web address \(http or https\), not file:/);
  t.same(['customer_requests', 'contacts', 'work_orders'].map((table) => count(app, table)), before, 'nothing was written');

  const nowhere = await post(app, [['api_key', key], ['service_code', 'S0301'], ['attribute[WHISPOLO]', 'STREE001']]);
  t.equal(nowhere.statusCode, 400);
  t.match((nowhere.json() as Json[])[0]!.description, /^location \(lat and long, address_string or address_id\)/, 'a place is required');
  const missing = await post(app, [['api_key', key], ['service_code', 'S0301'], ['lat', '42.35'], ['long', '-71.08']]);
  t.match((missing.json() as Json[])[0]!.description, /^attribute\[WHISPOLO\]/, 'a required attribute is named');
  t.equal((await post(app, [['api_key', key], ['service_code', 'NO_SUCH_CODE'], ['lat', '42.35'], ['long', '-71.08']])).statusCode, 404, 'an unknown service');
  t.equal((await post(app, [['api_key', key], ['service_code', 'CE_COLLECTION'], ['lat', '42.35'], ['long', '-71.08']])).statusCode, 404, 'an internal (not public) service is no service to a partner');
  const xml = await post(app, [['api_key', key]], 'xml');
  t.equal(xml.statusCode, 400);
  t.match(xml.body, /<errors>\s*<error>\s*<code>400<\/code>\s*<description>service_code is required<\/description>/);
});

t.test('the answer carries a token too: tokens/{token} gives the number again; media_url is kept and served; anyone’s page may read, not write', async (t) => {
  const { app, key } = await setup(t);
  const res = await post(app, pothole(key, '42.3494', [['media_url', 'https://photos.example.org/311/pothole-1.jpg']]));
  t.equal(res.statusCode, 201, res.body);
  const [answer] = res.json() as Json[];
  t.match(answer!.token, /^[0-9a-f-]{36}$/, 'a token (a random UUID)');
  t.equal(res.headers['access-control-allow-origin'], undefined, 'a POST answer is not readable by other sites’ pages');

  const byToken = await app.inject({ method: 'GET', url: `/open311/v2/tokens/${answer!.token}.json` });
  t.equal(byToken.statusCode, 200);
  t.same(byToken.json(), [{ service_request_id: answer!.service_request_id, token: answer!.token }]);
  t.equal(byToken.headers['access-control-allow-origin'], '*', 'what anyone may read, any page may read');
  const xml = await app.inject({ method: 'GET', url: `/open311/v2/tokens/${answer!.token}.xml` });
  t.match(xml.body, new RegExp(`<service_requests>\\s*<request>\\s*<service_request_id>${answer!.service_request_id}</service_request_id>\\s*<token>${answer!.token}</token>`));
  const unknown = await app.inject({ method: 'GET', url: '/open311/v2/tokens/0b5c1f0e-0000-4000-8000-000000000000.json' });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), [{ code: 404, description: /token 0b5c1f0e-0000-4000-8000-000000000000 was not found/ }]);

  const served = (await app.inject({ method: 'GET', url: `/open311/v2/requests/${answer!.service_request_id}.json` })).json() as Json[];
  t.equal(served[0]!.media_url, 'https://photos.example.org/311/pothole-1.jpg');
});

t.test('without a working api_key: 403; over its rate: 429 with Retry-After', async (t) => {
  const { app, key } = await setup(t, 2);
  const none = await post(app, pothole('').filter(([k]) => k !== 'api_key'));
  t.equal(none.statusCode, 403);
  t.match((none.json() as Json[])[0], { code: 403, description: /api_key is required/ });
  t.equal((await post(app, pothole('ow_not-a-key'))).statusCode, 403);
  t.equal((await post(app, pothole(key))).statusCode, 201);
  t.equal((await post(app, pothole(key, '42.36'))).statusCode, 201);
  const over = await post(app, pothole(key, '42.37'));
  t.equal(over.statusCode, 429, 'the third in a minute is over a limit of two');
  t.ok(Number(over.headers['retry-after']) > 0);
  t.equal(count(app, 'customer_requests'), 2, 'and was not saved');
});
