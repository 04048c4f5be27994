import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { InboundRefusal } from '../../services/inbound/inbound-refusal.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares in constant time whatever the lengths (both sides are hashed first). */
function secretMatches(given: unknown, secret: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(secret));
}

/*
 * POST /inbound/email: hosted mail providers (or a local MTA pipe) hand over the raw MIME
 * message as the body, with the shared secret in X-Inbound-Secret. 404 while INBOUND_SECRET is
 * unset; 403 for a wrong secret, checked before the body is read. The body is taken as bytes
 * whatever its content type, up to INBOUND_MAX_BYTES (413 beyond). 202 when the message was
 * taken (a question, an answer, a held message, or machine mail dropped on purpose).
 */
const inboundEmailRoutes: FastifyPluginAsync<{ secret: string | undefined; maxBytes: number }> = async (app, opts) => {
  const { inbound } = app.services;
  // Only in this plugin's scope: the raw message, not a form, whatever the client calls it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/inbound/email',
    {
      bodyLimit: opts.maxBytes,
      onRequest: async (request, reply) => {
        request.skipCsrf = true;
        if (!opts.secret) return reply.code(404).send({ error: 'not-found' });
        if (!secretMatches(request.headers['x-inbound-secret'], opts.secret)) return reply.code(403).send({ error: 'forbidden' });
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      try {
        const outcome = await inbound.receive(body);
        return reply.code(202).send(outcome.status === 'dropped' ? { status: 'dropped', reason: outcome.reason } : { status: outcome.status });
      } catch (err) {
        if (err instanceof InboundRefusal) return reply.code(err.httpStatus).send({ error: err.kind, message: err.message });
        throw err;
      }
    },
  );
};

export default inboundEmailRoutes;
