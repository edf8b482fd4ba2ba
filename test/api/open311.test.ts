// Open311 GeoReport v2, read side, through the real app on a fresh database: discovery, services,
// service definitions and service requests in JSON and XML, the specification's arguments and errors,
// and the common extensions. Every JSON answer is checked against JSON Schemas written from the
// specification (test/fixtures/open311/*.schema.json); every XML answer is parsed (so it is well-formed),
// compared with the JSON answer, and its element names and nesting with real city responses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';
import { hierarchyNodes } from '../../db/schema/hierarchy.ts';
import { customerRequests, interactions } from '../../db/schema/intake.ts';
import { addHerefordAddress, buildTestApp, createTestCaller, hereford, loadHierarchy, northOfHereford, signedInAs, type SignedIn } from '../helper.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'open311');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

// ---------------------------------------------------------------------------------------------
// Checking answers

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
const schemas = Object.fromEntries(
  (['discovery', 'services', 'service-definition', 'requests', 'errors'] as const).map((name) => [name, ajv.compile(JSON.parse(fixture(`${name}.schema.json`)) as object)]),
) as Record<'discovery' | 'services' | 'service-definition' | 'requests' | 'errors', ValidateFunction>;
type SchemaName = keyof typeof schemas;

/** The element names whose children are a list (the Spark convention's arrays). */
const itemOf: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  notes: 'note',
  errors: 'error',
};
const items = new Set(Object.values(itemOf));
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => items.has(name) });

/** What a JSON answer must read as in XML: text for every value, an empty element for null or an empty list. */
function asXml(value: unknown, name: string): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : { [itemOf[name]!]: value.map((v) => asXml(v, itemOf[name]!)) };
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, asXml(v, k)]));
  return String(value);
}

/** Every element path of a parsed document, e.g. service_requests/request/status. */
function paths(value: unknown, prefix = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => paths(v, prefix, into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '?xml' || key === '#text') continue;
      into.add(`${prefix}${key}`);
      paths(v, `${prefix}${key}/`, into);
    }
  }
  return into;
}

const realPaths = (file: string) => paths(parser.parse(fixture(file)));

interface Setup {
  app: FastifyInstance;
  clerk: SignedIn;
  dispatcher: SignedIn;
  admin: SignedIn;
  contactId: number;
  addressId: number;
}

async function answer(s: Pick<Setup, 'app'>, url: string) {
  return s.app.inject({ method: 'GET', url: `/open311/v2/${url}` });
}

/** A 200 JSON answer, valid against the specification's schema. */
async function getJson(t: Test, s: Pick<Setup, 'app'>, url: string, schema: SchemaName): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests
  const res = await answer(s, url);
  t.equal(res.statusCode, 200, `${url} → 200 ${res.statusCode === 200 ? '' : res.body}`);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8', `${url} is JSON`);
  const body = res.json();
  if (!schemas[schema](body)) t.fail(`${url} follows ${schema}.schema.json: ${ajv.errorsText(schemas[schema].errors)}`);
  return body;
}

/** A 200 XML answer: well-formed, declared UTF-8, parsed. */
async function getXml(t: Test, s: Pick<Setup, 'app'>, url: string): Promise<Json> {
  const res = await answer(s, url);
  t.equal(res.statusCode, 200, `${url} → 200 ${res.statusCode === 200 ? '' : res.body}`);
  t.equal(res.headers['content-type'], 'text/xml; charset=utf-8', `${url} is text/xml in UTF-8`);
  t.equal(XMLValidator.validate(res.body), true, `${url} is well-formed XML`);
  t.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, 'with the XML declaration first');
  return parser.parse(res.body) as Json;
}

/** The JSON and XML answers of one resource say the same; the JSON is returned. */
async function both(t: Test, s: Pick<Setup, 'app'>, resource: string, query: string, schema: SchemaName, root: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests
  const json = await getJson(t, s, `${resource}.json${query}`, schema);
  const xml = await getXml(t, s, `${resource}.xml${query}`);
  t.same(xml[root], asXml(json, root), `${resource}${query}: the XML says what the JSON says`);
  return json;
}

/** An error answer in the specification's form, in both formats; returns the descriptions. */
async function errors(t: Test, s: Pick<Setup, 'app'>, resource: string, query: string, status: number): Promise<string[]> {
  const json = await answer(s, `${resource}.json${query}`);
  t.equal(json.statusCode, status, `${resource}.json${query} → ${status}`);
  t.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  const list = json.json() as { code: number; description: string }[];
  if (!schemas.errors(list)) t.fail(`errors follow errors.schema.json: ${ajv.errorsText(schemas.errors.errors)}`);
  t.ok(list.every((e) => e.code === status), 'each error carries the status as its code');
  const xml = await answer(s, `${resource}.xml${query}`);
  t.equal(xml.statusCode, status, `${resource}.xml${query} → ${status}`);
  t.equal(xml.headers['content-type'], 'text/xml; charset=utf-8');
  t.equal(XMLValidator.validate(xml.body), true, 'a well-formed XML error');
  t.same(parser.parse(xml.body).errors, asXml(list, 'errors'), 'the XML errors say what the JSON ones say');
  t.same(paths(parser.parse(xml.body)), realPaths('boston-error-duplicate-node-open311.xml'), 'shaped like Boston’s real error answer');
  return list.map((e) => e.description);
}

// ---------------------------------------------------------------------------------------------
// Making requests through the desk

const here = hereford;
const north = northOfHereford;

async function setup(t: Test, env: Record<string, string> = {}): Promise<Setup> {
  const { app } = await buildTestApp(t, env);
  await app.ready();
  loadHierarchy(app.db);
  const addressId = addHerefordAddress(app.db);
  return {
    app,
    clerk: await signedInAs(app, 'clerk'),
    dispatcher: await signedInAs(app, 'dispatcher'),
    admin: await signedInAs(app, 'admin'),
    contactId: createTestCaller(app.db).id,
    addressId,
  };
}

async function ok(s: Setup, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json, who: SignedIn = s.clerk): Promise<Json> {
  const res = await s.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

interface Report {
  code?: string;
  answers?: Json;
  location?: Json;
  description?: string;
}

/** A complete ("ready") action request, as the desk makes one. */
async function ready(s: Setup, report: Report = {}): Promise<Json> {
  const code = report.code ?? 'S0301';
  let r = await ok(s, 'POST', '/api/requests', { channel: 'phone', contactId: s.contactId });
  r = await ok(s, 'PATCH', `/api/requests/${r.number}`, {
    version: r.version,
    type: 'action',
    problemCode: code,
    description: report.description ?? 'A deep pothole in the right lane',
    location: report.location ?? { text: '40 Hereford St', ...here },
  });
  const answers = report.answers ?? (code === 'S0301' ? { WHISPOLO: 'STREE001' } : undefined);
  if (answers) r = await ok(s, 'PATCH', `/api/requests/${r.number}`, { version: r.version, answers });
  return ok(s, 'POST', `/api/requests/${r.number}/complete`, { version: r.version });
}

/** A ready request put on a work order: a new one (`create`), or `link`ed to one. */
async function filed(s: Setup, report: Report, decision: Json): Promise<{ number: string; workOrder: string }> {
  const r = await ready(s, report);
  const result = await ok(s, 'POST', `/api/requests/${r.number}/work-order`, { version: r.version, ...decision });
  return { number: r.number as string, workOrder: result.workOrder as string };
}

async function workOrderVersion(s: Setup, number: string): Promise<number> {
  return (await ok(s, 'GET', `/api/work-orders/${number}`)).version as number;
}

async function move(s: Setup, workOrder: string, status: string, note?: string) {
  return ok(s, 'POST', `/api/work-orders/${workOrder}/status`, { version: await workOrderVersion(s, workOrder), status, ...(note ? { note } : {}) }, s.dispatcher);
}

async function assign(s: Setup, workOrder: string, assignee: string) {
  return ok(s, 'PATCH', `/api/work-orders/${workOrder}`, { version: await workOrderVersion(s, workOrder), assignee }, s.dispatcher);
}

/** Information requests and comments: contacts that must never be service requests. */
async function otherContacts(s: Setup): Promise<string[]> {
  let info = await ok(s, 'POST', '/api/requests', { channel: 'phone' });
  info = await ok(s, 'PATCH', `/api/requests/${info.number}`, { version: info.version, type: 'information', description: 'When is trash day?', answer: 'Tuesdays' });
  info = await ok(s, 'POST', `/api/requests/${info.number}/complete`, { version: info.version });
  let comment = await ok(s, 'POST', '/api/requests', { channel: 'email' });
  comment = await ok(s, 'PATCH', `/api/requests/${comment.number}`, { version: comment.version, type: 'comment', commentKind: 'compliment', description: 'The crew was quick' });
  comment = await ok(s, 'POST', `/api/requests/${comment.number}/complete`, { version: comment.version });
  // An action request still being taken down: no code yet.
  const draft = await ok(s, 'POST', '/api/requests', { channel: 'phone' });
  await ok(s, 'PATCH', `/api/requests/${draft.number}`, { version: draft.version, type: 'action', description: 'Something about a hole' });
  return [info.number, comment.number, draft.number];
}

const ids = (list: { service_request_id: string }[]) => list.map((r) => r.service_request_id);

// ---------------------------------------------------------------------------------------------

t.test('discovery names this endpoint, its formats and the GeoReport v2 specification, in JSON and XML', async (t) => {
  const s = await setup(t);
  const doc = await both(t, s, 'discovery', '', 'discovery', 'discovery');
  t.equal(doc.endpoints.length, 1);
  const [endpoint] = doc.endpoints;
  t.equal(endpoint.specification, 'http://wiki.open311.org/GeoReport_v2');
  t.match(endpoint.url, /^http:\/\/localhost(:\d+)?\/open311\/v2$/, 'the absolute URL of this endpoint');
  t.same(endpoint.formats, ['text/xml', 'application/json']);
  t.equal(endpoint.type, 'test', 'not production outside production');
  t.match(doc.contact, 'Sample City');
  t.match(doc.changeset, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'a sortable changeset: the last change to the services');
  t.same(paths(await getXml(t, s, 'discovery.xml')), realPaths('dc-discovery-node-open311.xml'), 'shaped like DC’s real discovery document');
  t.equal((await answer(s, 'discovery.json?jurisdiction_id=elsewhere.gov')).statusCode, 200, 'discovery stands above jurisdictions');

  const before = doc.changeset;
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const node = await ok(s, 'GET', '/api/hierarchy/nodes/S0301', undefined, s.admin);
  await ok(s, 'PATCH', '/api/hierarchy/nodes/S0301', { version: node.version, name: 'Pothole' }, s.admin);
  t.ok((await getJson(t, s, 'discovery.json', 'discovery')).changeset > before, 'the changeset moves when a service changes');
});

t.test('services lists the public, active problem codes with their group, keywords, metadata and type', async (t) => {
  const s = await setup(t);
  const services = await both(t, s, 'services', '', 'services', 'services');
  const codes = services.map((x: Json) => x.service_code);
  t.ok(services.length > 150, `${services.length} services`);
  t.equal(new Set(codes).size, codes.length, 'each code once');
  const pothole = services.find((x: Json) => x.service_code === 'S0301');
  t.same(pothole, {
    service_code: 'S0301',
    service_name: 'Pothole repair',
    description: 'A pothole in a street or alley. Pothole repair normally takes about 3 business days (72 hours), weather permitting.',
    metadata: true,
    type: 'realtime',
    keywords: 'pothole, hole in road, road hole, crater, pothole highway, pot hole, Request for Pothole Repair, Street Pothole, Pothole - Highway, hole in the street',
    group: 'Street Repair',
  }, 'the code, its name, keywords and synonyms as one list, and its service category as the group');
  t.equal(services.find((x: Json) => x.service_code === 'EMPTY_LITTER_BASKET').metadata, false, 'a code without questions has no metadata');
  t.notOk(codes.includes('POTHOLE_INTERNAL'), 'a code that is not public is not a service');
  t.notOk(codes.some((c: string) => ['INCIDENT_NOTIFICATION', 'ALERT_NOTIFICATION', 'TRUCK_CHECKIN'].includes(c)), 'nor the codes of a category that is not public');
  t.same(paths(await getXml(t, s, 'services.xml')), realPaths('dc-services-node-open311.xml'), 'shaped like DC’s real services list');

  const node = await ok(s, 'GET', '/api/hierarchy/nodes/EMPTY_LITTER_BASKET', undefined, s.admin);
  await ok(s, 'POST', '/api/hierarchy/nodes/EMPTY_LITTER_BASKET/retire', { version: node.version }, s.admin);
  t.notOk((await getJson(t, s, 'services.json', 'services')).some((x: Json) => x.service_code === 'EMPTY_LITTER_BASKET'), 'a retired code leaves the list');
  const category = await ok(s, 'GET', '/api/hierarchy/nodes/PWD-HWY-STREET', undefined, s.admin);
  await ok(s, 'PATCH', '/api/hierarchy/nodes/PWD-HWY-STREET', { version: category.version, settings: { ...category.settings, public: false } }, s.admin);
  const after = (await getJson(t, s, 'services.json', 'services')).map((x: Json) => x.service_code);
  t.notOk(after.includes('S0301'), 'a category made private takes its codes out (public is inherited)');
});

t.test('a service definition gives the code’s questions as attributes, in order, with notices as variable=false', async (t) => {
  const s = await setup(t);
  const definition = await both(t, s, 'services/S0301', '', 'service-definition', 'service_definition');
  t.equal(definition.service_code, 'S0301');
  t.same(definition.attributes.map((a: Json) => a.order), [1, 2, 3, 4, 8, 9], 'presented in their order');
  const notice = definition.attributes.find((a: Json) => a.code === 'DSITR001');
  t.same(notice, {
    variable: false,
    code: 'DSITR001',
    datatype: 'text',
    required: false,
    datatype_description: 'Character',
    order: 9,
    description: "DDOT's standard is to repair potholes within 3 busniness days (72 hours). Call the Mayor's Call Center at 311if the has not been repaired by the specified time of completion. Reference your service request number",
    values: [],
  });
  t.same(definition.attributes[0].values, [{ key: 'ALLEY002', name: 'Alley' }, { key: 'STREE001', name: 'Street' }]);
  t.equal((await both(t, s, 'services/EMPTY_LITTER_BASKET', '', 'service-definition', 'service_definition')).attributes.length, 0, 'a code without questions has an empty definition');

  t.match(await errors(t, s, 'services/NO_SUCH_CODE', '', 404), [/service_code NO_SUCH_CODE was not found/]);
  t.match(await errors(t, s, 'services/POTHOLE_INTERNAL', '', 404), [/POTHOLE_INTERNAL was not found/], 'a code that is not public is not found');
  t.match(await errors(t, s, 'services/PWD-HWY-STREET', '', 404), [/was not found/], 'nor is a category');
});

t.test('the real DC pothole definition, loaded as a problem code, is served back equivalently', async (t) => {
  const { app } = await buildTestApp(t);
  await app.ready();
  const admin = await signedInAs(app, 'admin');
  const dc = parser.parse(fixture('dc-service-definition-S0301-node-open311.xml')) as Json;
  // The converter: GeoReport attributes → OneWindow questions.
  const questions = (dc.service_definition.attributes.attribute as Json[]).map((a) => ({
    code: a.code,
    variable: a.variable === 'true',
    datatype: a.datatype,
    required: a.required === 'true',
    order: Number(a.order),
    description: a.description,
    datatypeDescription: a.datatype_description === '' ? null : a.datatype_description,
    values: a.values === '' ? [] : (a.values.value as Json[]).map((v) => ({ key: v.key, name: v.name })),
  }));
  const create = async (payload: Json) => {
    const res = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes', headers: admin.headers, payload });
    t.equal(res.statusCode, 201, `created ${payload.code as string} ${res.statusCode === 201 ? '' : res.body}`);
  };
  await create({ level: 'department', parentCode: null, code: 'TEST', name: 'Test department', settings: { turnaround: { permanentHours: 72 } } });
  await create({ level: 'provider', parentCode: 'TEST', code: 'TEST-ROADS', name: 'Test roads' });
  await create({ level: 'category', parentCode: 'TEST-ROADS', code: 'TEST-POTHOLES', name: 'Test potholes' });
  await create({ level: 'problem_code', parentCode: 'TEST-POTHOLES', code: dc.service_definition.service_code, name: 'Pothole', description: 'Washington DC pothole (2012)', settings: { questions } });

  const s = { app };
  const services = await both(t, s, 'services', '', 'services', 'services');
  t.same(services, [{ service_code: 'S0301', service_name: 'Pothole', description: 'Washington DC pothole (2012)', metadata: true, type: 'realtime', keywords: null, group: 'Test potholes' }]);

  // Same attributes, datatypes, required, orders and values; we present them sorted by their order.
  const byOrder = (list: Json[]) => [...list].sort((a, b) => Number(a.order) - Number(b.order));
  const xml = await getXml(t, s, 'services/S0301.xml');
  t.same(
    { ...xml.service_definition, attributes: { attribute: byOrder(xml.service_definition.attributes.attribute) } },
    { ...dc.service_definition, attributes: { attribute: byOrder(dc.service_definition.attributes.attribute) } },
    'the XML is DC’s own definition, element for element',
  );
  t.same(paths(xml), realPaths('dc-service-definition-S0301-node-open311.xml'), 'with the same element names and nesting');
  const json = await getJson(t, s, 'services/S0301.json', 'service-definition');
  t.equal(json.service_code, 'S0301');
  t.same(
    json.attributes,
    byOrder(questions).map((q) => ({ variable: q.variable, code: q.code, datatype: q.datatype, required: q.required, datatype_description: q.datatypeDescription, order: q.order, description: q.description, values: q.values })),
    'the JSON carries the same attributes, typed',
  );
});

t.test('requests are the action requests, with status, notes, agency, promise and location; never information requests or comments', async (t) => {
  const s = await setup(t);
  const others = await otherContacts(s);
  const first = await filed(s, { location: { addressId: s.addressId } }, { decision: 'create' });
  const second = await filed(s, { location: { text: '44 Hereford St', ...north(20) }, description: 'Same pothole, getting bigger' }, { decision: 'link', workOrder: first.workOrder });
  const light = await filed(s, { code: 'EMPTY_LITTER_BASKET', location: { text: 'Boylston St', ...north(400) }, description: 'Overflowing basket' }, { decision: 'create' });
  const waiting = await ready(s, { location: { text: 'Newbury St', ...north(900) } });
  const hidden = await filed(s, { code: 'POTHOLE_INTERNAL', location: { text: 'Marlborough St', ...north(600) } }, { decision: 'create' });
  const cancelled = await ready(s, { location: { text: 'Beacon St', ...north(1200) } });
  await ok(s, 'POST', `/api/requests/${cancelled.number}/cancel`, { version: cancelled.version, reason: 'Entered twice' });

  const list = await both(t, s, 'requests', '', 'requests', 'service_requests');
  t.same(ids(list), [waiting.number, light.number, second.number, first.number], 'newest first: ready and filed action requests of public codes');
  for (const n of [...others, hidden.number, cancelled.number]) t.notOk(ids(list).includes(n), `${n} is not a service request`);

  const wo = await ok(s, 'GET', `/api/work-orders/${first.workOrder}`);
  const [one] = await both(t, s, `requests/${first.number}`, '', 'requests', 'service_requests');
  t.same(one, {
    service_request_id: first.number,
    status: 'open',
    status_notes: null,
    service_name: 'Pothole repair',
    service_code: 'S0301',
    description: 'A deep pothole in the right lane',
    agency_responsible: 'Highway Maintenance',
    service_notice: "*Note:\nDDOT's standard is to repair potholes within 3 busniness days (72 hours). Call the Mayor's Call Center at 311if the has not been repaired by the specified time of completion. Reference your service request number",
    requested_datetime: one.requested_datetime,
    updated_datetime: one.updated_datetime,
    expected_datetime: wo.dueAt.replace(/\.\d+Z$/, 'Z'),
    address: '40 Hereford St, 02115',
    address_id: String(s.addressId),
    zipcode: '02115',
    lat: here.latitude,
    long: here.longitude,
    media_url: null,
  }, 'every field, the promise as expected_datetime');
  t.match(one.requested_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'w3 times');
  const [dup] = await getJson(t, s, `requests/${second.number}.json`, 'requests');
  t.equal(dup.status_notes, `Duplicate of ${first.number}`, 'a request linked to work another request made is its duplicate');
  t.equal(dup.zipcode, null, 'no postcode without a registry address');
  const [w] = await getJson(t, s, `requests/${waiting.number}.json`, 'requests');
  t.match(w, { status: 'open', status_notes: null, agency_responsible: 'Highway Maintenance', expected_datetime: null }, 'a request not yet on a work order names the code’s agency');

  await assign(s, first.workOrder, 'Crew 7');
  await move(s, first.workOrder, 'in_progress');
  await move(s, first.workOrder, 'completed', 'Pothole filled');
  const closed = await both(t, s, 'requests', `?service_request_id=${first.number},${second.number}`, 'requests', 'service_requests');
  t.match(closed, [
    { service_request_id: second.number, status: 'closed', status_notes: `Duplicate of ${first.number}. Pothole filled` },
    { service_request_id: first.number, status: 'closed', status_notes: 'Pothole filled' },
  ], 'closing the work order closes both, with its resolution');
  const closedAt = (await ok(s, 'GET', `/api/requests/${first.number}`)).closedAt as string;
  t.equal(closed[1].updated_datetime, closedAt.replace(/\.\d+Z$/, 'Z'), 'a closed request was last updated when it closed');

  const xml = await getXml(t, s, 'requests.xml');
  t.same(paths(xml), realPaths('toronto-requests-2018-bensheldon-open311status.xml'), 'shaped like Toronto’s real requests');
  const sf = realPaths('sf-requests-2012-fgregg-open311status.xml');
  t.same([...sf].filter((p) => !paths(xml).has(p)), [], 'and every element San Francisco sends is there');
  t.same(paths(await getXml(t, s, `requests/${first.number}.xml`)), realPaths('toronto-requests-2018-bensheldon-open311status.xml'), 'a single request too');

  for (const n of [...others, hidden.number, cancelled.number, '2020-999999']) {
    t.match(await errors(t, s, `requests/${n}`, '', 404), [new RegExp(`service_request_id ${n} was not found`)], `requests/${n} → 404`);
  }
});

t.test('a request linked to work another request made is its duplicate, precisely', async (t) => {
  const s = await setup(t);
  // Merged work: the older report's work order is merged into a younger one as its duplicate.
  const older = await filed(s, { location: { text: 'Beacon St', ...north(2000) } }, { decision: 'create' });
  const younger = await filed(s, { location: { text: 'Beacon St', ...north(2010) } }, { decision: 'create', reason: 'Looks like another hole' });
  await ok(s, 'POST', `/api/work-orders/${older.workOrder}/merge`, { version: await workOrderVersion(s, older.workOrder), into: younger.workOrder }, s.dispatcher);
  const merged = await getJson(t, s, `requests.json?service_request_id=${older.number},${younger.number}`, 'requests');
  t.match(merged, [{ service_request_id: younger.number, status_notes: null }, { service_request_id: older.number, status_notes: `Duplicate of ${younger.number}` }], 'the merged one is the duplicate, though it came first');

  // The original withdrawn: the earliest report still on the work order becomes the original.
  const original = await filed(s, { location: { text: 'Arlington St', ...north(5000) } }, { decision: 'create' });
  const linkedA = await filed(s, { location: { text: 'Arlington St', ...north(5005) } }, { decision: 'link', workOrder: original.workOrder });
  const linkedB = await filed(s, { location: { text: 'Arlington St', ...north(5010) } }, { decision: 'link', workOrder: original.workOrder });
  const before = await getJson(t, s, `requests.json?service_request_id=${linkedA.number},${linkedB.number}`, 'requests');
  t.same(before.map((r: Json) => r.status_notes), [`Duplicate of ${original.number}`, `Duplicate of ${original.number}`]);
  const row = await ok(s, 'GET', `/api/requests/${original.number}`);
  await ok(s, 'POST', `/api/requests/${original.number}/cancel`, { version: row.version, reason: 'The caller withdrew it' });
  const after = await getJson(t, s, `requests.json?service_request_id=${original.number},${linkedA.number},${linkedB.number}`, 'requests');
  t.same(after.map((r: Json) => [r.service_request_id, r.status_notes]), [[linkedB.number, `Duplicate of ${linkedA.number}`], [linkedA.number, null]]);

  // Split off as a different problem: it is the original of its own new work order.
  const base = await filed(s, { location: { text: 'Clarendon St', ...north(7000) } }, { decision: 'create' });
  const other = await filed(s, { location: { text: 'Clarendon St', ...north(7005) } }, { decision: 'link', workOrder: base.workOrder });
  await ok(s, 'POST', `/api/work-orders/${base.workOrder}/split`, { version: await workOrderVersion(s, base.workOrder), request: other.number, reason: 'A sunken manhole, not a pothole' }, s.dispatcher);
  const [split] = await getJson(t, s, `requests/${other.number}.json`, 'requests');
  t.equal(split.status_notes, null, 'split off, it is nobody’s duplicate');
});

t.test('GET requests: filters, the 90-day window, service_request_id overriding the rest, empty arguments', async (t) => {
  const s = await setup(t);
  const pothole = await filed(s, {}, { decision: 'create' });
  const basket = await filed(s, { code: 'EMPTY_LITTER_BASKET', location: { text: 'Boylston St', ...north(400) } }, { decision: 'create' });
  const old = await filed(s, { location: { text: 'Tremont St', ...north(3000) } }, { decision: 'create' });
  const day = 86_400_000;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  app311Backdate(s, old.number, iso(now - 100 * day));
  await assign(s, basket.workOrder, 'Crew 2');
  await move(s, basket.workOrder, 'in_progress');
  await move(s, basket.workOrder, 'completed', 'Emptied');

  const get = async (query: string) => ids(await getJson(t, s, `requests.json${query}`, 'requests'));
  t.same(await get(''), [basket.number, pothole.number], 'by default the most recent 90 days');
  t.same(await get('?status=open'), [pothole.number]);
  t.same(await get('?status=closed'), [basket.number]);
  t.same(await get('?status=open,closed'), [basket.number, pothole.number], 'both statuses, comma-separated');
  t.same(await get('?status=open&status=closed'), [basket.number, pothole.number], 'or declared twice');
  t.same(await get('?service_code=EMPTY_LITTER_BASKET'), [basket.number]);
  t.same(await get('?service_code=S0301,EMPTY_LITTER_BASKET'), [basket.number, pothole.number], 'several codes');
  t.same(await get(`?start_date=${iso(now - 120 * day)}&end_date=${iso(now - 60 * day)}`), [old.number], 'a window of the past');
  t.same(await get(`?start_date=${iso(now - 101 * day)}`), [old.number], 'a start alone reaches 90 days from it');
  t.same(await get(`?end_date=${iso(now - 50 * day)}`), [old.number], 'an end alone reaches 90 days back');
  t.same(await get(`?start_date=${encodeURIComponent(new Date(now - day).toISOString().replace(/\.\d+Z$/, '+00:00'))}`), [basket.number, pothole.number], 'an offset instead of Z');
  t.same(await get(`?start_date=${new Date(now - day).toISOString().replace(/\.\d+Z$/, '+00:00')}`), [basket.number, pothole.number], 'and a + left unencoded (read as a space)');
  t.same(
    await get(`?service_request_id=${old.number},${basket.number}&status=open&service_code=S0301&start_date=${iso(now - 10 * day)}&end_date=${iso(now)}&page_size=1&page=9`),
    [basket.number, old.number],
    'service_request_id overrides every other argument',
  );
  t.same(await get(`?service_request_id=${pothole.number}&start_date=not-a-date`), [pothole.number], 'overridden arguments are not even read');
  t.same(await get(`?service_request_id=${pothole.number},2020-999999`), [pothole.number], 'numbers that are not service requests are left out');
  t.same(await get('?status=&service_code=&start_date=&end_date=&jurisdiction_id=&page=&page_size=&extensions=&service_request_id='), [basket.number, pothole.number], 'empty arguments are arguments not sent');
  t.same(await get('?api_key=anything&callback=x'), [basket.number, pothole.number], 'arguments the method does not know are ignored');

  t.match(await errors(t, s, 'requests', `?start_date=${iso(now - 100 * day)}&end_date=${iso(now)}`, 400), [/end_date must be at most 90 days after start_date/]);
  t.match(await errors(t, s, 'requests', `?start_date=${iso(now)}&end_date=${iso(now - day)}`, 400), [/end_date must not be before start_date/]);
  for (const bad of ['yesterday', '2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01T00:00:00+25:00']) {
    t.match(await errors(t, s, 'requests', `?start_date=${encodeURIComponent(bad)}`, 400), [/start_date must be a date and time with its time zone in w3 format/], `${bad} is not a w3 date and time`);
  }
  t.match(await errors(t, s, 'requests', '?service_code=NO_SUCH,POTHOLE_INTERNAL,S0301', 400), ['service_code names no service (NO_SUCH, POTHOLE_INTERNAL)']);
  t.match(await errors(t, s, 'requests', '?status=pending', 400), [/status must be open, closed/]);
  t.match(await errors(t, s, 'requests', '?extensions=yes', 400), ['extensions must be true or false (got yes)']);
  const several = await errors(t, s, 'requests', '?start_date=soon&status=pending&page_size=0&page=-1&service_code=NOPE', 400);
  t.equal(several.length, 5, 'every wrong argument at once');
  for (const name of ['start_date', 'status', 'page_size', 'page', 'service_code']) t.ok(several.some((d) => d.startsWith(`${name} `)), `names ${name}`);
});

function app311Backdate(s: Setup, number: string, startedAt: string) {
  s.app.db.update(customerRequests).set({ startedAt }).where(eq(customerRequests.number, number)).run();
}

t.test('the 1,000-request cap, and paging with page and page_size', async (t) => {
  const s = await setup(t);
  const code = s.app.db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, 'S0301')).get()!;
  const now = Date.now();
  s.app.db.transaction((tx) => {
    const at = new Date(now).toISOString();
    const interaction = tx.insert(interactions).values({ channel: 'phone', startedAt: at }).returning().get();
    for (let i = 0; i < 1001; i++) {
      const started = new Date(now - (i + 1) * 1000).toISOString();
      tx.insert(customerRequests)
        .values({
          number: `2026-9${String(i).padStart(5, '0')}`,
          interactionId: interaction.id,
          channel: 'phone',
          type: 'action',
          status: 'ready',
          problemCodeId: code.id,
          classification: { code: 'S0301', name: 'Pothole repair', path: [] },
          answers: { WHISPOLO: 'STREE001' },
          locationText: `${i} Hereford St`,
          startedAt: started,
          updatedAt: started,
        })
        .run();
    }
  });
  const all = await getJson(t, s, 'requests.json', 'requests');
  t.equal(all.length, 1000, 'at most 1,000 requests by default');
  t.equal(all[0].service_request_id, '2026-900000', 'the newest first');
  t.equal(all[999].service_request_id, '2026-900999');
  t.same(ids(await getJson(t, s, 'requests.json?page=2', 'requests')), ['2026-901000'], 'the next page has the rest');
  t.same(ids(await getJson(t, s, 'requests.json?page_size=2&page=3', 'requests')), ['2026-900004', '2026-900005']);
  t.same(await getJson(t, s, 'requests.json?page_size=500&page=4', 'requests'), [], 'a page past the end is empty');
  t.equal((await getXml(t, s, 'requests.xml?page_size=3')).service_requests.request.length, 3, 'in XML too');
  t.match(await errors(t, s, 'requests', '?page_size=1001', 400), ['page_size must be a whole number from 1 to 1,000 (got 1001)']);
  t.match(await errors(t, s, 'requests', '?page=0', 400), [/page must be a whole number from 1/]);
  const many = Array.from({ length: 1001 }, (_, i) => `2026-9${String(i).padStart(5, '0')}`).join(',');
  t.match(await errors(t, s, 'requests', `?service_request_id=${many}`, 400), ['service_request_id may name at most 1000 requests (got 1001)']);
});

t.test('updated_after and updated_before find what changed, also outside the default window', async (t) => {
  const s = await setup(t);
  const a = await filed(s, {}, { decision: 'create' });
  const b = await filed(s, { code: 'EMPTY_LITTER_BASKET', location: { text: 'Boylston St', ...north(400) } }, { decision: 'create' });
  app311Backdate(s, a.number, new Date(Date.now() - 200 * 86_400_000).toISOString());
  await new Promise((resolve) => setTimeout(resolve, 5));
  const mark = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await assign(s, a.workOrder, 'Crew 3');
  const get = async (query: string) => ids(await getJson(t, s, `requests.json${query}`, 'requests'));
  t.same(await get(''), [b.number], 'the old request is outside the default window');
  t.same(await get(`?updated_after=${mark}`), [a.number], 'a work order assigned since counts as a change to its requests, whenever they were made');
  t.same(await get(`?updated_before=${mark}`), [b.number], 'and what did not change since');
  t.same(await get(`?updated_after=${mark}&start_date=${new Date(Date.now() - 10 * 86_400_000).toISOString()}`), [], 'both windows apply together');
  t.match(await errors(t, s, 'requests', `?updated_after=${new Date(Date.now() - 100 * 86_400_000).toISOString()}&updated_before=${mark}`, 400), [/updated_before must be at most 90 days after updated_after/]);
  t.match(await errors(t, s, 'requests', '?updated_after=last-week', 400), [/updated_after must be a date and time/]);
});

t.test('extensions=true adds the detailed status and the public history, never the city’s working notes', async (t) => {
  const s = await setup(t);
  const first = await filed(s, {}, { decision: 'create' });
  const second = await filed(s, { location: { text: '44 Hereford St', ...north(20) } }, { decision: 'link', workOrder: first.workOrder });
  await assign(s, first.workOrder, 'Crew 7 (Dave Miller)');
  await move(s, first.workOrder, 'in_progress');
  await ok(s, 'POST', `/api/work-orders/${first.workOrder}/notes`, { text: 'Call Bob at 617-555-0199 about the gas line' }, s.dispatcher);
  await move(s, first.workOrder, 'on_hold', 'Waiting for the gas company to mark the line');
  const open = await getJson(t, s, `requests/${second.number}.json?extensions=true`, 'requests');
  t.same(open[0].extended_attributes, {
    detailed_status: 'in_progress',
    work_order_id: first.workOrder,
    work_order_status: 'on_hold',
    channel: 'phone',
    duplicate: true,
    parent_service_request_id: first.number,
  }, 'the request’s own status, its work order’s, and what it duplicates');
  await move(s, first.workOrder, 'in_progress');
  await move(s, first.workOrder, 'completed', 'Pothole filled');

  const [r] = await both(t, s, `requests/${second.number}`, '?extensions=true', 'requests', 'service_requests');
  t.match(r.extended_attributes, { detailed_status: 'closed', work_order_status: 'completed', duplicate: true });
  t.same(r.notes.map((n: Json) => [n.type, n.summary, n.description]), [
    ['opened', 'Request opened by phone', null],
    ['submitted', 'Request submitted', null],
    ['activity', `Put on work order ${first.workOrder}, already open for the same problem`, null],
    ['activity', `Work order ${first.workOrder}: assigned to a crew`, null],
    ['activity', `Work order ${first.workOrder}: work in progress`, null],
    ['activity', `Work order ${first.workOrder}: on hold`, null],
    ['activity', `Work order ${first.workOrder}: work in progress`, null],
    ['closed', 'Request closed', 'Pothole filled'],
  ], 'status changes and the resolution');
  t.ok(r.notes.every((n: Json, i: number) => i === 0 || n.datetime >= r.notes[i - 1].datetime), 'in time order');
  const [original] = await getJson(t, s, `requests/${first.number}.json?extensions=true`, 'requests');
  t.equal(original.notes[2].summary, `Put on work order ${first.workOrder}, made for this request`);
  t.same(original.extended_attributes.parent_service_request_id, null);

  const everything = (await answer(s, `requests.json?extensions=true`)).body + (await answer(s, `requests.xml?extensions=true`)).body;
  for (const secret of ['Bob', '617-555-0199', 'gas company', 'Dave Miller', 'Crew 7', 'Maria Delgado', 'maria.delgado@example.org', '617-555-0142']) {
    t.notMatch(everything, secret, `${secret} is not public`);
  }
  const plain = await getJson(t, s, 'requests.json', 'requests');
  t.ok(plain.every((x: Json) => !('extended_attributes' in x) && !('notes' in x)), 'without extensions=true, only the specification’s fields');
  t.equal((await getJson(t, s, 'requests.json?extensions=false', 'requests'))[0].notes, undefined);

  // Chicago's real extension: our notes use its member names.
  const chicago = JSON.parse(fixture('chicago-request-14-01370163-michaelkunc.json')) as Json[];
  const chicagoNoteKeys = new Set(chicago[0]!.notes.flatMap((n: Json) => Object.keys(n)));
  t.same(Object.keys(r.notes[0]).filter((k) => !chicagoNoteKeys.has(k)), [], 'notes have Chicago’s members');
  t.ok('extended_attributes' in chicago[0]! && 'notes' in chicago[0]!, 'and sit where Chicago puts them');
  const xml = await getXml(t, s, `requests.xml?extensions=true&service_request_id=${second.number}`);
  t.equal(xml.service_requests.request[0].notes.note.length, 8, 'in XML, notes/note');
});

t.test('jurisdiction_id: optional, and when given it must be this city’s', async (t) => {
  const s = await setup(t);
  for (const resource of ['services', 'services/S0301', 'requests']) {
    t.equal((await answer(s, `${resource}.json?jurisdiction_id=sample-city`)).statusCode, 200, `${resource}: the city’s name as a slug`);
    t.equal((await answer(s, `${resource}.xml?jurisdiction_id=Sample-City`)).statusCode, 200, 'in any case');
    t.match(await errors(t, s, resource, '?jurisdiction_id=sfgov.org', 404), ['jurisdiction_id sfgov.org was not found: this endpoint serves sample-city']);
  }
  t.equal((await answer(s, 'requests/2020-1.json?jurisdiction_id=sfgov.org')).statusCode, 404);
  t.match(await errors(t, s, 'requests', '?jurisdiction_id=sfgov.org&status=pending', 404), [/jurisdiction_id/], 'a wrong jurisdiction is answered before the arguments');

  const configured = await setup(t, { OPEN311_JURISDICTION_ID: 'boston.gov' });
  t.equal((await answer(configured, 'services.json?jurisdiction_id=boston.gov')).statusCode, 200, 'OPEN311_JURISDICTION_ID names it');
  t.match(await errors(t, configured, 'services', '?jurisdiction_id=sample-city', 404), ['jurisdiction_id sample-city was not found: this endpoint serves boston.gov']);
});

t.test('an unknown format or resource is a 404 in the specification’s form', async (t) => {
  const s = await setup(t);
  for (const url of ['services.csv', 'services.html', 'services', 'services/S0301', 'services/S0301.yaml', 'requests', 'requests/2026-000001', 'nothing.xml', 'tokens/123.xml']) {
    const res = await answer(s, url);
    t.equal(res.statusCode, 404, `${url} → 404`);
    t.equal(res.headers['content-type'], 'text/xml; charset=utf-8', 'in XML, the format every endpoint has');
    t.equal(XMLValidator.validate(res.body), true);
    t.match(parser.parse(res.body), { errors: { error: [{ code: '404' }] } });
  }
  t.match((await answer(s, 'nothing.json')).json(), [{ code: 404 }], 'a .json path gets JSON');
  const bad = await answer(s, 'requests.json?start_date=%E0%A4%A');
  t.equal(bad.statusCode, 400, 'an argument that is not UTF-8 is a bad argument');
  t.ok(schemas.errors(bad.json()), 'in the specification’s form');
  const unreadable = await answer(s, 'requests/%E0%A4%A.xml');
  t.equal(unreadable.statusCode, 400, 'an address that cannot be decoded is a bad request');
  t.match(parser.parse(unreadable.body), { errors: { error: [{ code: '400', description: /cannot be read/ }] } }, 'in the specification’s form too');
});

t.test('XML is escaped and stays well-formed whatever a caller typed', async (t) => {
  const s = await setup(t);
  const nasty = 'Hole <b>"big"</b> & deep ]]> it\'s </description><x>\u0001\u0007 here 💥 Łódź';
  const r = await filed(s, { description: nasty }, { decision: 'create' });
  const xml = await getXml(t, s, `requests/${r.number}.xml`);
  t.equal(xml.service_requests.request[0].description, 'Hole <b>"big"</b> & deep ]]> it\'s </description><x> here 💥 Łódź', 'the text comes back as typed, without the characters XML cannot carry');
  const [json] = await getJson(t, s, `requests/${r.number}.json`, 'requests');
  t.equal(json.description, nasty, 'and untouched in JSON');
});
