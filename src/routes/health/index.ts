import type { FastifyPluginAsync } from 'fastify';

const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async (_request, reply) => {
    const { serving, ...report } = await app.services.health.check();
    return reply.code(serving ? 200 : 503).send(report);
  });
};

export default healthRoutes;
