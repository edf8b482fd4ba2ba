import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { buildTestApp, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

async function sampleCity(t: Test): Promise<{ app: FastifyInstance; admin: SignedIn; clerk: SignedIn }> {
  const { app } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  return { app, admin: await signedInAs(app, 'admin'), clerk: await signedInAs(app, 'clerk') };
}

type Hit = { code: string; name: string; path: string; status: string };

async function search(app: FastifyInstance, who: SignedIn, q: string, extra = ''): Promise<Hit[]> {
  const res = await app.inject({ method: 'GET', url: `/api/hierarchy/search?q=${encodeURIComponent(q)}${extra}`, headers: who.headers });
  if (res.statusCode !== 200) throw new Error(res.body);
  return (res.json() as { hits: Hit[] }).hits;
}

const streetLightCode = {
  level: 'problem_code',
  parentCode: 'PWD-HWY-STREET',
  code: 'FLICKERING_LAMP',
  name: 'Flickering street lamp',
  description: 'A street lamp that flickers or cycles on and off.',
  settings: {
    keywords: ['flicker', 'lamp'],
    synonyms: ['blinking light', 'strobing lamp'],
    questions: [
      { code: 'POLE', variable: true, datatype: 'string', required: true, order: 1, description: 'Pole number on the tag' },
      { code: 'WHEN', variable: true, datatype: 'singlevaluelist', required: false, order: 2, description: 'When does it flicker?', values: [{ key: 'NIGHT', name: 'All night' }, { key: 'DUSK', name: 'At dusk' }] },
    ],
  },
};

t.test('the tree has every level in order, with counts; retired nodes only when asked for', async (t) => {
  const { app, clerk, admin } = await sampleCity(t);
  const res = await app.inject({ method: 'GET', url: '/api/hierarchy/tree', headers: clerk.headers });
  t.equal(res.statusCode, 200);
  const tree = res.json() as { code: string; level: string; activeProblemCodes: number; children: { level: string }[] }[];
  t.ok(tree.length >= 8, `${tree.length} departments`);
  t.ok(tree.every((d) => d.level === 'department' && d.children.every((p) => p.level === 'provider')));
  const total = tree.reduce((n, d) => n + d.activeProblemCodes, 0);
  t.ok(total >= 150, `${total} active problem codes counted`);

  const node = (await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/S0301', headers: clerk.headers })).json();
  await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/S0301/retire', headers: admin.headers, payload: { version: node.version } });
  const after = (await app.inject({ method: 'GET', url: '/api/hierarchy/tree', headers: clerk.headers })).json() as typeof tree;
  t.equal(after.reduce((n, d) => n + d.activeProblemCodes, 0), total - 1, 'a retired code leaves the count');
  const all = (await app.inject({ method: 'GET', url: '/api/hierarchy/tree?includeRetired=true', headers: clerk.headers })).body;
  t.match(all, '"code":"S0301"', 'and is in the full tree');
  t.notMatch(JSON.stringify(after), '"code":"S0301"', 'but not in the active one');
});

t.test('a node comes with its path and every setting it inherits, saying from where', async (t) => {
  const { app, clerk } = await sampleCity(t);
  const res = await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/S0301', headers: clerk.headers });
  t.equal(res.statusCode, 200);
  const node = res.json();
  t.same(node.path.map((p: { code: string }) => p.code), ['PWD', 'PWD-HWY', 'PWD-HWY-STREET']);
  t.equal(node.level, 'problem_code');
  t.equal(node.settings.questions.length, 6, "DC's six attributes");
  t.same(node.resolved.value.duplicateRule, { radiusMeters: 30, windowDays: 30, scope: 'code', matchAttribute: null });
  t.equal(node.resolved.from.duplicateRule, 'PWD-HWY-STREET', 'inherited from the category');
  t.equal(node.resolved.value.standardWorkOrder.provider, 'PWD-HWY');
  t.equal(node.resolved.from['standardWorkOrder.tasks'], 'S0301', 'its own tasks');
  t.equal(node.resolved.from['standardWorkOrder.workType'], 'PWD', 'the work type from the department');
  t.same(node.resolved.value.turnaround, { temporaryHours: 24, permanentHours: 72 });

  const missing = await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/NO_SUCH', headers: clerk.headers });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'NOT_FOUND');
});

t.test('problem-code search: words, prefixes, synonyms, the names above, accents and small typos, best first', async (t) => {
  const { app, clerk } = await sampleCity(t);
  const first = async (q: string) => (await search(app, clerk, q))[0]?.code;
  t.ok((await search(app, clerk, 'pothole')).some((h) => h.code === 'S0301'), 'a word finds the code');
  t.ok((await search(app, clerk, 'poth')).some((h) => h.code === 'S0301'), 'a prefix as you type');
  t.ok((await search(app, clerk, 'potholle')).some((h) => h.code === 'S0301'), 'one typo is forgiven');
  t.ok((await search(app, clerk, 'grafiti')).some((h) => /GRAFFITI/.test(h.code)), 'a missing letter is forgiven');
  t.equal(await first('S0301'), 'S0301', 'a code typed exactly comes first');
  t.equal(await first('street_light_out'), 'STREET_LIGHT_OUT', 'codes with underscores too, in any case');
  const hits = await search(app, clerk, 'street li');
  t.match(hits[0]?.name, /street light/i, 'two words, the last a prefix: a street light first');
  t.match(hits[0]!.path, /›.*›/, 'each hit carries its full path');
  t.same(await search(app, clerk, 'zzzzqqq'), [], 'nonsense finds nothing');
  t.same(await search(app, clerk, '   '), [], 'blank finds nothing');
});

t.test('an administrator adds a code with two questions; search finds it by a synonym; retired, it is gone', async (t) => {
  const { app, admin, clerk } = await sampleCity(t);
  const created = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes', headers: admin.headers, payload: streetLightCode });
  t.equal(created.statusCode, 201, created.body);
  const node = created.json();
  t.same(node.path.map((p: { code: string }) => p.code), ['PWD', 'PWD-HWY', 'PWD-HWY-STREET']);
  t.equal(node.version, 1);

  t.equal((await search(app, clerk, 'strobing'))[0]?.code, 'FLICKERING_LAMP', 'found at once by a synonym');
  t.equal((await search(app, clerk, 'blinking lig'))[0]?.code, 'FLICKERING_LAMP');

  const stale = await app.inject({ method: 'PATCH', url: '/api/hierarchy/nodes/FLICKERING_LAMP', headers: admin.headers, payload: { version: 1, name: 'Flickering lamp' } });
  t.equal(stale.statusCode, 200);
  const lost = await app.inject({ method: 'PATCH', url: '/api/hierarchy/nodes/FLICKERING_LAMP', headers: admin.headers, payload: { version: 1, name: 'Someone else' } });
  t.equal(lost.statusCode, 409, 'a stale version is refused');
  t.equal(lost.json().code, 'VERSION_CONFLICT');

  const retired = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/FLICKERING_LAMP/retire', headers: admin.headers, payload: { version: 2 } });
  t.equal(retired.json().status, 'retired');
  t.same(await search(app, clerk, 'strobing'), [], 'the search no longer offers it');
  t.equal((await search(app, clerk, 'strobing', '&includeRetired=true'))[0]?.status, 'retired', 'unless retired codes are asked for');
  const back = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/FLICKERING_LAMP/reactivate', headers: admin.headers, payload: { version: 3 } });
  t.equal(back.json().status, 'active');
  t.equal((await search(app, clerk, 'strobing'))[0]?.code, 'FLICKERING_LAMP', 'reactivated, it is offered again');

  const history = await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/FLICKERING_LAMP/history', headers: admin.headers });
  t.same(history.json().items.map((e: { action: string }) => e.action), ['hierarchy.reactivated', 'hierarchy.retired', 'hierarchy.updated', 'hierarchy.created']);
  const clerkWrite = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes', headers: clerk.headers, payload: { ...streetLightCode, code: 'CLERK_CODE' } });
  t.equal(clerkWrite.statusCode, 403, 'clerks read the hierarchy but do not edit it');
});

t.test('folded letters: "lodz" finds "Łódź", Cyrillic is found in any case', async (t) => {
  const { app, admin, clerk } = await sampleCity(t);
  const payload = { ...streetLightCode, code: 'LODZ_SIGN', name: 'Łódź Street sign missing', settings: { ...streetLightCode.settings, synonyms: ['Яма на дорозі', 'Straße'] } };
  t.equal((await app.inject({ method: 'POST', url: '/api/hierarchy/nodes', headers: admin.headers, payload })).statusCode, 201);
  t.equal((await search(app, clerk, 'lodz'))[0]?.code, 'LODZ_SIGN');
  t.equal((await search(app, clerk, 'ŁÓDŹ'))[0]?.code, 'LODZ_SIGN');
  t.equal((await search(app, clerk, 'ЯМА'))[0]?.code, 'LODZ_SIGN');
  t.equal((await search(app, clerk, 'strasse'))[0]?.code, 'LODZ_SIGN');
});

t.test('bad definitions name the field and change nothing', async (t) => {
  const { app, admin } = await sampleCity(t);
  const create = (payload: object) => app.inject({ method: 'POST', url: '/api/hierarchy/nodes', headers: admin.headers, payload });
  const fields = (res: { json(): { details?: { field: string; message: string }[] } }) => (res.json().details ?? []).map((d) => `${d.field} ${d.message}`);

  const listWithoutValues = await create({ ...streetLightCode, settings: { questions: [{ code: 'KIND', variable: true, datatype: 'singlevaluelist', required: true, order: 1, description: 'Which?' }] } });
  t.equal(listWithoutValues.statusCode, 400);
  t.match(fields(listWithoutValues).join('\n'), '/body/settings/questions/0 missing property "values"');

  const twice = await create({ ...streetLightCode, settings: { questions: [streetLightCode.settings.questions[0], { ...streetLightCode.settings.questions[0], description: 'again' }] } });
  t.match(fields(twice).join('\n'), '/body/settings/questions/1/code question code POLE appears twice');
  t.match(fields(twice).join('\n'), '/body/settings/questions/1/order order 1 appears twice');

  const matchNothing = await create({ ...streetLightCode, settings: { ...streetLightCode.settings, duplicateRule: { radiusMeters: 10, windowDays: 5, scope: 'code', matchAttribute: 'NOPE' } } });
  t.match(fields(matchNothing).join('\n'), '/body/settings/duplicateRule/matchAttribute the duplicate rule matches on NOPE');

  const takenCode = await create({ ...streetLightCode, code: 'S0301' });
  t.match(fields(takenCode).join('\n'), '/body/code is already used');
  const wrongParent = await create({ ...streetLightCode, parentCode: 'PWD' });
  t.match(fields(wrongParent).join('\n'), '/body/parentCode must be a category, and PWD is a department');
  const badCode = await create({ ...streetLightCode, code: 'lower case' });
  t.match(fields(badCode).join('\n'), '/body/code must be 2 to 40 capital letters');

  const tree = await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/PWD-HWY-STREET', headers: admin.headers });
  t.notOk(tree.json().children.some((c: { code: string }) => c.code === 'FLICKERING_LAMP'), 'nothing was created');

  // A category default that would leave a code below it invalid is refused.
  const category = tree.json();
  const breaking = await app.inject({
    method: 'PATCH',
    url: '/api/hierarchy/nodes/PWD-HWY-STREET',
    headers: admin.headers,
    payload: { version: category.version, settings: { ...category.settings, duplicateRule: { radiusMeters: 30, windowDays: 30, scope: 'code', matchAttribute: 'POLE_NUMBER' } } },
  });
  t.equal(breaking.statusCode, 400);
  t.match(breaking.json().message, /would leave S0301 below it invalid/);
});

t.test('moving and reordering: within the levels, never under itself, the path follows', async (t) => {
  const { app, admin, clerk } = await sampleCity(t);
  const get = async (code: string) => (await app.inject({ method: 'GET', url: `/api/hierarchy/nodes/${code}`, headers: admin.headers })).json();
  const street = await get('PWD-HWY-STREET');
  const otherProvider = (await get('PWD')).children.find((c: { code: string }) => c.code !== 'PWD-HWY').code as string;

  const moved = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/PWD-HWY-STREET/move', headers: admin.headers, payload: { version: street.version, parentCode: otherProvider, position: 0 } });
  t.equal(moved.statusCode, 200, moved.body);
  t.same(moved.json().path.map((p: { code: string }) => p.code), ['PWD', otherProvider]);
  t.equal(moved.json().position, 0);
  const s0301 = await get('S0301');
  t.same(s0301.path.map((p: { code: string }) => p.code), ['PWD', otherProvider, 'PWD-HWY-STREET'], 'the codes below follow');
  t.equal(s0301.resolved.value.standardWorkOrder.provider, otherProvider, 'and their work goes to the new provider');
  const hit = (await search(app, clerk, 'S0301'))[0]!;
  t.match(hit.path, (await get(otherProvider)).name, 'the search shows the new path');

  const underItself = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/PWD/move', headers: admin.headers, payload: { version: 1, parentCode: otherProvider } });
  t.equal(underItself.statusCode, 400, 'a department cannot go under anything, least of all its own provider');
  const wrongLevel = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/S0301/move', headers: admin.headers, payload: { version: s0301.version, parentCode: 'PWD' } });
  t.equal(wrongLevel.statusCode, 400);

  const siblings = (await get(otherProvider)).children.map((c: { position: number }) => c.position);
  t.same(siblings, siblings.map((_: number, i: number) => i), 'positions stay 0…n');
});

t.test('retiring a parent with active children needs an explicit cascade', async (t) => {
  const { app, admin, clerk } = await sampleCity(t);
  const street = (await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/PWD-HWY-STREET', headers: admin.headers })).json();
  const refused = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/PWD-HWY-STREET/retire', headers: admin.headers, payload: { version: street.version } });
  t.equal(refused.statusCode, 409);
  t.match(refused.json().message, /active nodes? below it/);
  t.ok((await search(app, clerk, 'S0301')).length > 0, 'nothing changed');

  const cascaded = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/PWD-HWY-STREET/retire', headers: admin.headers, payload: { version: street.version, cascade: true } });
  t.equal(cascaded.statusCode, 200);
  t.ok(cascaded.json().children.every((c: { status: string }) => c.status === 'retired'), 'every code below is retired');
  t.same(await search(app, clerk, 'S0301'), [], 'and no longer offered');
  const child = (await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/S0301', headers: admin.headers })).json();
  const orphan = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/S0301/reactivate', headers: admin.headers, payload: { version: child.version } });
  t.equal(orphan.statusCode, 409, 'a code cannot come back under a retired category');
});

t.test('a provider that codes elsewhere send work to cannot be retired from under them', async (t) => {
  const { app, admin } = await sampleCity(t);
  const clean = (await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/PWD-CLEAN', headers: admin.headers })).json();
  const refused = await app.inject({ method: 'POST', url: '/api/hierarchy/nodes/PWD-CLEAN/retire', headers: admin.headers, payload: { version: clean.version, cascade: true } });
  t.equal(refused.statusCode, 409);
  t.match(refused.json().message, /PWD_GRAFFITI → PWD-CLEAN/);
  const after = (await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/PWD-CLEAN', headers: admin.headers })).json();
  t.equal(after.status, 'active', 'nothing was retired');
});
