import type { FastifyPluginAsync } from 'fastify';
import { healthResponse } from './schemas.ts';
import { checkHealth } from './service.ts';

export interface HealthRoutesOptions {
  version: string;
}

const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { version }) => {
  app.get(
    '/health',
    { config: { access: 'public' }, schema: { response: { 200: healthResponse, 503: healthResponse } } },
    async (_request, reply) => {
      const health = checkHealth(app.db, version);
      return reply.code(health.status === 'ok' ? 200 : 503).send(health);
    },
  );
};

export default healthRoutes;
