import fp from 'fastify-plugin';
import type { Storage } from '../db/ports.js';
import type { Services } from '../services/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    storage: Storage;
    services: Services;
  }
}

/** Makes storage and the service container available and closes storage on shutdown. */
export default fp(
  async (app, opts: { storage: Storage; services: Services }) => {
    app.decorate('storage', opts.storage);
    app.decorate('services', opts.services);
    app.addHook('onClose', async () => {
      // Background work first: a job or an outbox batch in progress finishes before the database closes.
      await opts.services.background.stop();
      // Pending view counts are written before the database closes, so none are lost.
      await opts.services.viewCounter.flush();
      await opts.services.faqViewCounter.flush();
      // Searches waiting for their batch are written too.
      await opts.services.searchLog.close();
      // And the self-service events.
      await opts.services.supportMetrics.close();
      await opts.storage.close();
    });
  },
  { name: 'storage' },
);
