import type { FastifyPluginAsync } from 'fastify';

const addressesRoutes: FastifyPluginAsync = async () => {};

export default addressesRoutes;
