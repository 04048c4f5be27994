import type { FastifyPluginAsync } from 'fastify';

const healthRoutes: FastifyPluginAsync<{ searchBackend: string }> = async (app, opts) => {
  app.get('/healthz', async (_request, reply) => {
    let database = 'ok';
    try {
      await app.storage.meta.get('seeded');
    } catch {
      database = 'error';
    }
    const ok = database === 'ok';
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      storage: { backend: app.storage.backend, status: database },
      search: { backend: opts.searchBackend },
    });
  });
};

export default healthRoutes;
