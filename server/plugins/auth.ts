// Who is calling, and may they? Every route declares `config.access`; this plugin loads the session
// from its cookie, refuses cross-site writes (CSRF), and answers 401/403 before any handler runs.
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../db/schema/accounts.ts';
import { csrfTokenMatches, findSession, type ActiveSession, type SessionCredentials, type SessionSettings } from '../accounts/sessions.ts';
import { DomainError } from '../errors.ts';

/** `public`: anyone; `signed-in`: any signed-in user; a list of roles: those roles (and admins). */
export type Access = 'public' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    session: ActiveSession | null;
  }
  interface FastifyInstance {
    sessionSettings: SessionSettings;
    /** Every route registered, with its options: the access test walks this list. */
    registeredRoutes: RouteOptions[];
    setSessionCookie(request: FastifyRequest, reply: FastifyReply, credentials: SessionCredentials): void;
    clearSessionCookie(reply: FastifyReply): void;
  }
}

export const sessionCookie = 'ow_session';
export const csrfHeader = 'x-csrf-token';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuthPluginOptions {
  session: SessionSettings;
  cookieSecure: 'auto' | 'true' | 'false';
}

export function allows(access: Access, role: Role): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  return role === 'admin' || access.includes(role);
}

/** A browser sends Origin on cross-site writes; when it does, it must be this server's own. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    // Through URL on both sides, so "http://host:80" and "host" compare equal.
    return new URL(origin).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return false;
  }
}

export default fp<AuthPluginOptions>(
  async (app, options) => {
    await app.register(cookie);
    app.decorate('sessionSettings', options.session);
    app.decorate('registeredRoutes', [] as RouteOptions[]);
    app.decorateRequest('session', null);
    app.addHook('onRoute', (route) => {
      app.registeredRoutes.push(route);
    });

    app.decorate('setSessionCookie', (request: FastifyRequest, reply: FastifyReply, credentials: SessionCredentials) => {
      const secure = options.cookieSecure === 'auto' ? request.protocol === 'https' : options.cookieSecure === 'true';
      reply.setCookie(sessionCookie, credentials.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        expires: new Date(credentials.expiresAt),
      });
    });
    app.decorate('clearSessionCookie', (reply: FastifyReply) => {
      reply.clearCookie(sessionCookie, { path: '/' });
    });

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) {
        request.session = findSession(app.db, options.session, token);
        if (!request.session) app.clearSessionCookie(reply);
      }
      const access = request.routeOptions.config.access;
      if (access === undefined) {
        // The not-found handler has no route options of its own; any real route without a rule is
        // refused rather than left open (and the route walk test names it).
        if (request.is404) return;
        throw new DomainError('FORBIDDEN', 'This route declares no access rule, so nobody may call it.');
      }
      if (access === 'public') return;
      if (!request.session) throw new DomainError('UNAUTHENTICATED', 'Please sign in.');
      if (unsafeMethods.has(request.method) && (!sameOrigin(request) || !csrfTokenMatches(request.session, request.headers[csrfHeader] as string | undefined))) {
        throw new DomainError('CSRF_REJECTED', `This change was not sent by OneWindow itself (missing or wrong ${csrfHeader} header); reload the page and try again.`);
      }
      if (!allows(access, request.session.user.role)) {
        throw new DomainError('FORBIDDEN', 'Your role does not allow this.');
      }
    });
  },
  { name: 'auth', dependencies: ['database', 'errors'] },
);
