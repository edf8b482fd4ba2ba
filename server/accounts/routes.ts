import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { sessionCookie } from '../plugins/auth.ts';
import * as s from './schemas.ts';
import { actorOf, changeOwnPassword, createUser, findUserById, listUsers, resetPassword, updateUser } from './service.ts';
import { createSession, login, revokeSession } from './sessions.ts';

function signedIn(request: FastifyRequest) {
  // The access rule guarantees a session on these routes.
  return request.session!;
}

const accountRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(s.userSchema);
  const settings = app.sessionSettings;
  const client = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] });

  app.post<{ Body: FromSchema<typeof s.loginBody> }>(
    '/auth/login',
    { config: { access: 'public' }, schema: { body: s.loginBody, response: { 200: s.sessionResponse } } },
    async (request, reply) => {
      // A sign-in always starts a new session: an old cookie (even a valid one) is revoked, not reused.
      const previous = request.cookies[sessionCookie];
      if (previous) revokeSession(app.db, settings, previous);
      const result = await login(app.db, settings, { ...request.body, ...client(request) });
      app.setSessionCookie(request, reply, result);
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
    },
  );

  app.post('/auth/logout', { config: { access: 'signed-in' }, schema: { response: { 204: { type: 'null' } } } }, async (request, reply) => {
    revokeSession(app.db, settings, request.cookies[sessionCookie]!);
    app.clearSessionCookie(reply);
    return reply.code(204).send();
  });

  // Public, so the web app can ask "who am I?" without an error when nobody is signed in.
  app.get('/auth/session', { config: { access: 'public' }, schema: { response: { 200: s.currentSessionResponse } } }, async (request) => {
    const session = request.session;
    return session ? { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt } : { user: null, csrfToken: null, expiresAt: null };
  });

  app.post<{ Body: FromSchema<typeof s.changePasswordBody> }>(
    '/auth/password',
    { config: { access: 'signed-in' }, schema: { body: s.changePasswordBody, response: { 200: s.sessionResponse } } },
    async (request, reply) => {
      const { user } = signedIn(request);
      await changeOwnPassword(app.db, actorOf(user, request.ip), user.id, request.body.currentPassword, request.body.newPassword);
      // Every session ended with the old password; this one continues under a new token.
      const credentials = createSession(app.db, settings, user.id, client(request));
      app.setSessionCookie(request, reply, credentials);
      return { user: findUserById(app.db, user.id), csrfToken: credentials.csrfToken, expiresAt: credentials.expiresAt };
    },
  );

  const admin = { access: ['admin'] } as const;

  app.get<{ Querystring: FromSchema<typeof s.listUsersQuery> }>(
    '/users',
    { config: admin, schema: { querystring: s.listUsersQuery, response: { 200: s.userListResponse } } },
    async (request) => listUsers(app.db, request.query),
  );

  app.post<{ Body: FromSchema<typeof s.createUserBody> }>(
    '/users',
    { config: admin, schema: { body: s.createUserBody, response: { 201: { $ref: 'User#' } } } },
    async (request, reply) => {
      const user = await createUser(app.db, actorOf(signedIn(request).user, request.ip), request.body);
      return reply.code(201).send(user);
    },
  );

  app.get<{ Params: FromSchema<typeof s.userIdParams> }>(
    '/users/:id',
    { config: admin, schema: { params: s.userIdParams, response: { 200: { $ref: 'User#' } } } },
    async (request) => findUserById(app.db, request.params.id),
  );

  app.patch<{ Params: FromSchema<typeof s.userIdParams>; Body: FromSchema<typeof s.updateUserBody> }>(
    '/users/:id',
    { config: admin, schema: { params: s.userIdParams, body: s.updateUserBody, response: { 200: { $ref: 'User#' } } } },
    async (request) => updateUser(app.db, actorOf(signedIn(request).user, request.ip), request.params.id, request.body),
  );

  app.post<{ Params: FromSchema<typeof s.userIdParams>; Body: FromSchema<typeof s.resetPasswordBody> }>(
    '/users/:id/password',
    { config: admin, schema: { params: s.userIdParams, body: s.resetPasswordBody, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await resetPassword(app.db, actorOf(signedIn(request).user, request.ip), request.params.id, request.body.password);
      return reply.code(204).send();
    },
  );
};

export default accountRoutes;
