// Walks every route the app registers and proves its access rule holds: without a session 401, with a
// role that is not allowed 403, with an allowed role neither. A route without a rule fails this test.
import type { RouteOptions } from 'fastify';
import t from 'tap';
import { roles, type Role } from '../../db/schema/accounts.ts';
import { allows } from '../../server/plugins/auth.ts';
import { buildTestApp, isSignedIn, signIn, signedInAs, type SignedIn } from '../helper.ts';

/** The routes anyone may call. Adding one here is a decision: say why in the commit. */
const expectedPublic = ['GET /api/health', 'HEAD /api/health', 'POST /api/auth/login', 'GET /api/auth/session', 'HEAD /api/auth/session', 'GET /assets/*', 'HEAD /assets/*'];

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

  const publicRoutes = routes.filter((r) => r.access === 'public').map((r) => key(r.method, r.url));
  t.same(publicRoutes.sort(), [...expectedPublic].sort(), 'exactly the expected routes are public');

  for (const route of routes) {
    if (route.access === undefined || route.access === 'public') continue;
    const url = route.url.replace(/:[^/]+/g, '1').replace('*', 'x');
    const name = key(route.method, route.url);
    const payload = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;

    const anonymous = await app.inject({ method: route.method as 'GET', url, payload });
    t.equal(anonymous.statusCode, 401, `${name} without a session → 401`);

    for (const role of roles) {
      const res = await app.inject({ method: route.method as 'GET', url, payload, headers: sessions[role].headers });
      if (allows(route.access, role)) {
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
