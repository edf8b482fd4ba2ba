// buildApp registers every plugin and area of the server. It never listens: server/main.ts does,
// and tests build the very same app (same ajv options, same plugins) on a temporary database.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import accountRoutes from './accounts/routes.ts';
import portalRoutes from './portal/routes.ts';
import apiKeyRoutes from './api-keys/routes.ts';
import addressesRoutes from './addresses/routes.ts';
import auditRoutes from './audit/routes.ts';
import contactsRoutes from './contacts/routes.ts';
import { sessionSecretOf, type Config } from './config.ts';
import healthRoutes from './health/routes.ts';
import hierarchyRoutes from './hierarchy/routes.ts';
import intakeRoutes from './intake/routes.ts';
import kbRoutes from './kb/routes.ts';
import outboxRoutes from './outbox/routes.ts';
import reportRoutes from './reports/routes.ts';
import { formatOfUrl, sendErrors } from './open311/format.ts';
import open311Routes, { open311Prefix } from './open311/routes.ts';
import workOrderRoutes from './work-orders/routes.ts';
import { workOrderOptionsOf } from './work-orders/service.ts';
import { schemaController } from './validation.ts';
import auth from './plugins/auth.ts';
import database from './plugins/database.ts';
import errors, { errorBody, sendError } from './plugins/errors.ts';
import security from './plugins/security.ts';
import web from './plugins/web.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const version: string = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

export interface BuildOptions {
  config: Config;
  logger?: FastifyServerOptions['logger'];
  /** The built web app's folder; defaults to web/dist. */
  webRoot?: string;
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    // One reverse proxy in front, no more: the client address is the one that proxy appended to
    // X-Forwarded-For. Trusting every hop (`true`) would take the left-most entry, which the client
    // writes, and let anyone pick a new address for each request past the per-address limits.
    trustProxy: config.TRUST_PROXY ? (_address: string, hop: number) => hop < 1 : false,
    bodyLimit: 1024 * 1024,
    schemaController,
    // Errors Fastify raises before routing (a malformed percent-encoding in the URL) get the same shape.
    frameworkErrors: (error, request, reply) => {
      const message = `The address cannot be read: ${error.message}`;
      if (request.url.startsWith(`${open311Prefix}/`)) void sendErrors(reply, formatOfUrl(request.url), 400, [{ code: 400, description: message }]);
      else void sendError(reply, errorBody('BAD_REQUEST', message));
    },
  });

  await app.register(errors);
  await app.register(security);
  await app.register(database, { path: config.DATABASE_PATH, groupCommit: config.GROUP_COMMIT });
  await app.register(auth, {
    session: {
      secret: sessionSecretOf(config),
      idleMinutes: config.SESSION_IDLE_MINUTES,
      maxHours: config.SESSION_MAX_HOURS,
      loginDelayMs: config.LOGIN_DELAY_MS,
    },
    cookieSecure: config.COOKIE_SECURE,
  });
  await app.register(
    async (api) => {
      await api.register(healthRoutes, { version });
      await api.register(accountRoutes);
      await api.register(auditRoutes);
      await api.register(hierarchyRoutes);
      await api.register(kbRoutes);
      await api.register(addressesRoutes);
      await api.register(contactsRoutes);
      await api.register(intakeRoutes);
      await api.register(workOrderRoutes, workOrderOptionsOf(config));
      await api.register(outboxRoutes);
      await api.register(apiKeyRoutes);
      await api.register(reportRoutes);
      await api.register(portalRoutes, workOrderOptionsOf(config));
    },
    { prefix: '/api' },
  );
  await app.register(open311Routes, {
    prefix: open311Prefix,
    ...workOrderOptionsOf(config),
    jurisdictionId: config.OPEN311_JURISDICTION_ID,
    endpointType: config.NODE_ENV === 'production' ? 'production' : 'test',
  });
  await app.register(web, { root: options.webRoot ?? join(repoRoot, 'web', 'dist') });
  return app;
}
