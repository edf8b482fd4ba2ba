import type { FastifyPluginAsync } from 'fastify';

const contactsRoutes: FastifyPluginAsync = async () => {};

export default contactsRoutes;
