import t from 'tap';
import { buildTestApp } from '../helper.ts';

t.test('GET /api/health answers status, database and version', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'GET', url: '/api/health' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok', database: 'ok', version: '0.1.0' });
  t.match(res.headers['content-security-policy'], /default-src 'self'/, 'a CSP is sent');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
});

t.test('GET /api/health reports an unreadable database as 503', async (t) => {
  const { app } = await buildTestApp(t);
  await app.ready();
  app.db.$client.close();
  const res = await app.inject({ method: 'GET', url: '/api/health' });
  t.equal(res.statusCode, 503);
  t.same(res.json(), { status: 'unavailable', database: 'unavailable', version: '0.1.0' });
});

t.test('an unknown API route is a JSON 404 in the error shape, never the web page', async (t) => {
  const { app } = await buildTestApp(t);
  // Under /open311/v2 the GeoReport errors answer instead (test/api/open311.test.ts).
  for (const url of ['/api/nothing-here', '/api', '/open311/v1/nothing']) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 404, url);
    t.match(res.headers['content-type'], /application\/json/, url);
    t.same(res.json(), { statusCode: 404, code: 'ROUTE_NOT_FOUND', error: 'Not Found', message: `There is no GET ${url}.` }, url);
  }
});

t.test('client routes get index.html (history API fallback); assets are hashed and cached long', async (t) => {
  const { app } = await buildTestApp(t);
  for (const url of ['/', '/desk', '/admin/users/7', '/portal?x=1']) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, url);
    t.match(res.headers['content-type'], /text\/html/, url);
    t.equal(res.headers['cache-control'], 'no-cache', `${url}: the page itself is revalidated`);
    t.match(res.body, '<ow-app>', url);
  }
  const index = await app.inject({ method: 'GET', url: '/desk' });
  const script = /src="(\/assets\/app-[A-Z0-9]+\.js)"/.exec(index.body)?.[1];
  t.ok(script, 'index.html names a hashed entry script');
  const asset = await app.inject({ method: 'GET', url: script! });
  t.equal(asset.statusCode, 200);
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  const missing = await app.inject({ method: 'GET', url: '/assets/missing-ABC.js' });
  t.equal(missing.statusCode, 404, 'a missing asset is a 404, not the page');
  for (const url of ['/assets/../../package.json', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json']) {
    const traversal = await app.inject({ method: 'GET', url });
    t.notMatch(traversal.body, '"devDependencies"', `${url}: no path traversal out of the assets folder`);
  }
  const encoded = await app.inject({ method: 'GET', url: '/assets/..%2f..%2fpackage.json' });
  t.ok([403, 404].includes(encoded.statusCode), `refused (${encoded.statusCode})`);
  t.equal(typeof encoded.json().code, 'string', 'in the error shape');
  const range = await app.inject({ method: 'GET', url: script!, headers: { range: 'bytes=99999999-' } });
  t.equal(range.statusCode, 416);
  t.equal(range.json().code, 'RANGE_NOT_SATISFIABLE');
  const badUrl = await app.inject({ method: 'GET', url: '/api/users/%E0%A4%A' });
  t.equal(badUrl.statusCode, 400);
  t.equal(badUrl.json().code, 'BAD_REQUEST', 'a malformed URL gets the error shape too');
  const post = await app.inject({ method: 'POST', url: '/desk', payload: {} });
  t.equal(post.statusCode, 404, 'only GET and HEAD fall back to the page');
});

t.test('validation errors name every offending field; unknown fields are rejected', async (t) => {
  const { app } = await buildTestApp(t);
  app.post(
    '/api/test-echo',
    {
      config: { access: 'public' },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'channel'],
          properties: { name: { type: 'string', minLength: 1 }, channel: { type: 'string', enum: ['phone', 'email'] } },
        },
      },
    },
    async (request) => request.body,
  );
  const res = await app.inject({ method: 'POST', url: '/api/test-echo', payload: { channel: 'pigeon', colour: 'red' } });
  t.equal(res.statusCode, 400);
  const body = res.json();
  t.equal(body.code, 'VALIDATION_FAILED');
  t.equal(body.error, 'Bad Request');
  t.same(
    [...body.details].sort((a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field)),
    [
      { field: '/body/channel', message: 'must be one of phone, email' },
      { field: '/body/colour', message: 'is not a known field' },
      { field: '/body/name', message: 'is required' },
    ],
  );
  const empty = await app.inject({ method: 'POST', url: '/api/test-echo', payload: { name: '', channel: 'phone' } });
  t.same(empty.json().details, [{ field: '/body/name', message: 'is required' }], 'an empty text is "required", in words');
  const badJson = await app.inject({ method: 'POST', url: '/api/test-echo', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
  t.equal(badJson.statusCode, 400);
  t.equal(badJson.json().code, 'VALIDATION_FAILED');
});

t.test('a 5xx never leaks its internals', async (t) => {
  const { app } = await buildTestApp(t);
  app.get('/api/test-boom', { config: { access: 'public' } }, async () => {
    throw new Error('SQLITE_CORRUPT at /secret/path/onewindow.db');
  });
  const res = await app.inject({ method: 'GET', url: '/api/test-boom' });
  t.equal(res.statusCode, 500);
  const body = res.json();
  t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode']);
  t.equal(body.code, 'INTERNAL');
  t.notMatch(res.body, /secret|SQLITE/, 'the cause stays in the log');
});

t.test('query strings are coerced to their types; JSON bodies are taken as sent', async (t) => {
  const { app } = await buildTestApp(t);
  app.post(
    '/api/test-types',
    {
      config: { access: 'public' },
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer' }, active: { type: 'boolean' } } },
        body: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer' }, active: { type: 'boolean' } } },
      },
    },
    async (request) => ({ query: request.query, body: request.body }),
  );
  const ok = await app.inject({ method: 'POST', url: '/api/test-types?limit=5&active=false', payload: { version: 1, active: false } });
  t.same(ok.json(), { query: { limit: 5, active: false }, body: { version: 1, active: false } }, 'text in the query becomes numbers and booleans');
  const strings = await app.inject({ method: 'POST', url: '/api/test-types', payload: { version: '1', active: 'false' } });
  t.equal(strings.statusCode, 400, '"false" in a JSON body is not false');
  t.same(strings.json().details.map((d: { field: string }) => d.field).sort(), ['/body/active', '/body/version']);
});
