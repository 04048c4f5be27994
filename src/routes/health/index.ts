import type { FastifyPluginAsync } from 'fastify';

const healthRoutes: FastifyPluginAsync = async (app) => {
  // Liveness: the process answers. No database or search call, so a load balancer or an
  // orchestrator can tell a hung process from a degraded dependency (see /healthz).
  app.get('/livez', async (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/healthz', async (_request, reply) => {
    const { serving, ...report } = await app.services.health.check();
    return reply.code(serving ? 200 : 503).send(report);
  });
};

export default healthRoutes;
