import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { loadSampleAddresses } from '../../server/addresses/import.ts';
import { buildTestApp, signedInAs, type SignedIn } from '../helper.ts';

async function setup(t: Test): Promise<{ app: FastifyInstance; clerk: SignedIn }> {
  const { app } = await buildTestApp(t);
  await app.ready();
  await loadSampleAddresses(app.db);
  return { app, clerk: await signedInAs(app, 'clerk') };
}

interface Hit {
  id: number;
  label: string;
  postcode: string;
  matchedAlias: string | null;
}

async function search(app: FastifyInstance, who: SignedIn, query: string) {
  return app.inject({ method: 'GET', url: `/api/addresses${query}`, headers: { cookie: who.cookie } });
}

t.test('the registry is for signed-in staff only', async (t) => {
  const { app } = await setup(t);
  for (const url of ['/api/addresses?q=city%20hall', '/api/addresses/1']) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 401, url);
    t.equal(res.json().code, 'UNAUTHENTICATED');
  }
});

t.test('typeahead: hits with a label, their parts, coordinates and the alias that matched', async (t) => {
  const { app, clerk } = await setup(t);
  const res = await search(app, clerk, '?q=city%20hall');
  t.equal(res.statusCode, 200);
  const { hits } = res.json() as { hits: Hit[] };
  t.same(hits[0], {
    id: hits[0]!.id,
    label: '1 City Hall Plz, Downtown / Financial District, 02108',
    number: '1',
    street: 'City Hall Plz',
    unit: '',
    city: 'Downtown / Financial District',
    district: '',
    region: 'MA',
    postcode: '02108',
    latitude: 42.3601,
    longitude: -71.0579,
    matchedAlias: 'City Hall',
  });

  const byNumber = (await search(app, clerk, `?q=${encodeURIComponent('12 Hereford')}`)).json() as { hits: Hit[] };
  t.equal(byNumber.hits[0]?.label, '12 Hereford St, Back Bay, 02115');
  const accents = (await search(app, clerk, `?q=${encodeURIComponent('HÉRÈFORD 1')}`)).json() as { hits: Hit[] };
  t.same(accents.hits.map((h) => h.label), ['11 Hereford St, Back Bay, 02115', '12 Hereford St, Back Bay, 02115'], 'case, accents and a prefix');
});

t.test('limits: 8 by default, at most 25, blank text finds nothing', async (t) => {
  const { app, clerk } = await setup(t);
  t.equal(((await search(app, clerk, '?q=02115')).json() as { hits: Hit[] }).hits.length, 8);
  const many = (await search(app, clerk, '?q=02115&limit=25')).json() as { hits: Hit[] };
  t.equal(many.hits.length, 25);
  t.ok(many.hits.every((h) => h.postcode === '02115'));
  for (const limit of ['1000', '26', '0', 'many']) {
    const res = await search(app, clerk, `?q=02115&limit=${limit}`);
    t.equal(res.statusCode, 400, `limit=${limit}`);
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  t.equal((await search(app, clerk, `?q=${'x'.repeat(201)}`)).statusCode, 400, 'the text is bounded too');
  for (const query of ['', '?q=', '?q=%20%20']) {
    const res = await search(app, clerk, query);
    t.equal(res.statusCode, 200, JSON.stringify(query));
    t.same(res.json(), { hits: [] });
  }
});

t.test('one address with its aliases; an unknown one is 404', async (t) => {
  const { app, clerk } = await setup(t);
  const { hits } = (await search(app, clerk, '?q=fenway%20park')).json() as { hits: Hit[] };
  const res = await app.inject({ method: 'GET', url: `/api/addresses/${hits[0]!.id}`, headers: { cookie: clerk.cookie } });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { id: hits[0]!.id, label: '4 Yawkey Way, Boston, 02215', street: 'Yawkey Way', sourceId: 'B03000', aliases: ['Fenway Park'], latitude: 42.3467, longitude: -71.0987 });
  t.type(res.json().createdAt, 'string');

  const missing = await app.inject({ method: 'GET', url: '/api/addresses/999999', headers: { cookie: clerk.cookie } });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { code: 'NOT_FOUND', message: 'There is no address 999999 in the registry.' });
  t.equal((await app.inject({ method: 'GET', url: '/api/addresses/abc', headers: { cookie: clerk.cookie } })).statusCode, 400);
});
