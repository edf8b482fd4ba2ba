import type { FastifyPluginAsync } from 'fastify';

const intakeRoutes: FastifyPluginAsync = async () => {};

export default intakeRoutes;
