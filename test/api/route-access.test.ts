// Walks every route the app registers and proves its access rule holds: without a session 401, with a
// role that is not allowed 403, with an allowed role neither. A route without a rule fails this test.
import type { RouteOptions } from 'fastify';
import t from 'tap';
import { roles, type Role } from '../../db/schema/accounts.ts';
import type { Access } from '../../server/plugins/auth.ts';
import { buildTestApp, isSignedIn, signIn, signedInAs, type SignedIn } from '../helper.ts';

/**
 * Who may call each route, written down here on its own: the walk checks the app against this table,
 * so widening a route's access (or adding a route) is a change to this file, not a silent one.
 */
const expectedAccess: Record<string, Access> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'GET /api/auth/session': 'public',
  'POST /api/auth/logout': 'signed-in',
  'POST /api/auth/password': 'signed-in',
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'GET /api/users/:id': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'POST /api/users/:id/password': ['admin'],
  'GET /api/audit': ['admin'],
  'GET /api/hierarchy/tree': 'signed-in',
  'GET /api/hierarchy/search': 'signed-in',
  'GET /api/hierarchy/nodes/:code': 'signed-in',
  'GET /api/hierarchy/nodes/:code/history': ['admin'],
  'POST /api/hierarchy/nodes': ['admin'],
  'PATCH /api/hierarchy/nodes/:code': ['admin'],
  'POST /api/hierarchy/nodes/:code/move': ['admin'],
  'POST /api/hierarchy/nodes/:code/retire': ['admin'],
  'POST /api/hierarchy/nodes/:code/reactivate': ['admin'],
  'GET /api/kb/search': 'signed-in',
  'GET /api/kb/articles': ['admin'],
  'GET /api/kb/articles/:slug': 'signed-in',
  'POST /api/kb/articles': ['admin'],
  'PUT /api/kb/articles/:slug': ['admin'],
  'POST /api/kb/articles/:slug/status': ['admin'],
  'GET /api/kb/articles/:slug/versions': ['admin'],
  'GET /api/kb/articles/:slug/versions/:version': ['admin'],
  'POST /api/kb/articles/:slug/restore': ['admin'],
  'POST /api/kb/articles/:slug/views': 'signed-in',
  'POST /api/kb/articles/:slug/uses': 'signed-in',
  'POST /api/kb/articles/:slug/feedback': 'signed-in',
  'GET /api/kb/insights': ['admin'],
  'POST /api/kb/preview': ['admin'],
  'GET /api/public/kb/search': 'public',
  'GET /api/public/kb/articles/:slug': 'public',
  'POST /api/public/kb/articles/:slug/feedback': 'public',
  'GET /api/public/services': 'public',
  'GET /api/public/services/:code': 'public',
  'GET /api/public/addresses': 'public',
  'POST /api/public/reports': 'public',
  'POST /api/public/comments': 'public',
  'GET /api/public/requests/:number': 'public',
  'GET /api/addresses': 'signed-in',
  'GET /api/addresses/:id': 'signed-in',
  'GET /api/contacts': 'signed-in',
  'POST /api/contacts': 'signed-in',
  'GET /api/contacts/:id': 'signed-in',
  'PUT /api/contacts/:id': 'signed-in',
  'POST /api/requests': 'signed-in',
  'GET /api/requests': 'signed-in',
  'GET /api/requests/:number': 'signed-in',
  'PATCH /api/requests/:number': 'signed-in',
  'POST /api/requests/:number/complete': 'signed-in',
  'POST /api/requests/:number/convert': 'signed-in',
  'POST /api/requests/:number/cancel': 'signed-in',
  'POST /api/requests/:number/reply': 'signed-in',
  'POST /api/requests/:number/articles': 'signed-in',
  'DELETE /api/requests/:number/articles/:slug': 'signed-in',
  'GET /api/requests/:number/history': 'signed-in',
  'GET /api/requests/:number/duplicates': 'signed-in',
  'POST /api/requests/:number/work-order': 'signed-in',
  'GET /api/work-orders': 'signed-in',
  'GET /api/work-orders/:number': 'signed-in',
  'GET /api/work-orders/:number/history': 'signed-in',
  'PATCH /api/work-orders/:number': ['dispatcher'],
  'POST /api/work-orders/:number/status': ['dispatcher'],
  'POST /api/work-orders/:number/reopen': ['dispatcher'],
  'POST /api/work-orders/:number/notes': ['dispatcher'],
  'POST /api/work-orders/:number/merge': ['dispatcher'],
  'POST /api/work-orders/:number/split': ['dispatcher'],
  'GET /api/api-keys': ['admin'],
  'POST /api/api-keys': ['admin'],
  'PATCH /api/api-keys/:id': ['admin'],
  'POST /api/api-keys/:id/revoke': ['admin'],
  'GET /api/answers-owed': 'signed-in',
  'POST /api/answers-owed/:id/done': 'signed-in',
  'GET /api/reports/volumes': ['dispatcher'],
  'GET /api/reports/volumes.csv': ['dispatcher'],
  'GET /api/reports/service-levels': ['dispatcher'],
  'GET /api/reports/service-levels.csv': ['dispatcher'],
  'GET /api/reports/desk': ['dispatcher'],
  'GET /api/reports/desk.csv': ['dispatcher'],
  'GET /api/reports/knowledge-base': ['dispatcher'],
  'GET /api/reports/knowledge-base.csv': ['dispatcher'],
  'GET /open311/v2/discovery.:format': 'public',
  'GET /open311/v2/services.:format': 'public',
  'GET /open311/v2/services/:service_code.:format': 'public',
  'GET /open311/v2/requests.:format': 'public',
  'POST /open311/v2/requests.:format': 'public',
  'GET /open311/v2/requests/:service_request_id.:format': 'public',
  'GET /open311/v2/tokens/:token.:format': 'public',
  'GET /assets/*': 'public',
};

/** HEAD routes are made from GET routes and share their rule. */
const expectedFor = (method: string, url: string) => expectedAccess[key(method === 'HEAD' ? 'GET' : method, url)];

const key = (method: string, url: string) => `${method} ${url}`;

function expand(route: RouteOptions): { method: string; url: string }[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods.map((method) => ({ method, url: route.url }));
}

t.test('every route declares who may call it, and the rule holds for every role', async (t) => {
  const { app } = await buildTestApp(t);
  const sessions = {} as Record<Role, SignedIn>;
  for (const role of roles) sessions[role] = await signedInAs(app, role);

  const routes = app.registeredRoutes.flatMap((route) => expand(route).map((r) => ({ ...r, access: route.config?.access })));
  t.ok(routes.length > 10, `found ${routes.length} routes`);

  const undeclared = routes.filter((r) => r.access === undefined).map((r) => key(r.method, r.url));
  t.same(undeclared, [], 'no route is without an access rule');
  for (const route of routes) {
    t.same(route.access, expectedFor(route.method, route.url), `${key(route.method, route.url)} declares the expected rule`);
  }
  const listed = new Set(routes.map((r) => key(r.method, r.url)));
  t.same(Object.keys(expectedAccess).filter((k) => !listed.has(k)), [], 'every route in the table exists');

  for (const route of routes) {
    const access = expectedFor(route.method, route.url);
    if (access === undefined || access === 'public') continue;
    const url = route.url.replace(/:[^/]+/g, '1').replace('*', 'x');
    const name = key(route.method, route.url);
    const payload = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;

    const anonymous = await app.inject({ method: route.method as 'GET', url, payload });
    t.equal(anonymous.statusCode, 401, `${name} without a session → 401`);

    for (const role of roles) {
      const res = await app.inject({ method: route.method as 'GET', url, payload, headers: sessions[role].headers });
      // Written out here rather than calling the server's own rule: admins may do everything.
      const allowed = access === 'signed-in' || role === 'admin' || access.includes(role);
      if (allowed) {
        t.notOk([401, 403].includes(res.statusCode), `${name} as ${role} → allowed (got ${res.statusCode})`);
      } else {
        t.equal(res.statusCode, 403, `${name} as ${role} → 403`);
      }
      // Routes such as sign-out end the session they were called with; sign in again for the next.
      if (!(await isSignedIn(app, sessions[role].cookie))) {
        const { user, password } = sessions[role];
        sessions[role] = { user, password, ...(await signIn(app, user.username, password)) };
      }
    }
  }
});

t.test('a route added without an access rule is refused and named by the walk', async (t) => {
  const { app } = await buildTestApp(t);
  app.get('/api/forgot-the-rule', async () => ({ secret: true }));
  await app.ready();
  const undeclared = app.registeredRoutes.filter((r) => r.config?.access === undefined).flatMap((r) => expand(r).map((x) => key(x.method, x.url)));
  t.same(undeclared.sort(), ['GET /api/forgot-the-rule', 'HEAD /api/forgot-the-rule'], 'the walk finds it');
  const res = await app.inject({ method: 'GET', url: '/api/forgot-the-rule' });
  t.equal(res.statusCode, 403, 'and nobody can call it');
  t.notMatch(res.body, 'secret');
});
