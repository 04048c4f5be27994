import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQaApp } from '../helpers/qa.js';

/*
 * Meilisearch that accepts connections and never answers (a hung process, a stuck proxy). A
 * load balancer gives /healthz about 2 s; waiting for the search client's 10 s request timeout
 * would take every instance out of rotation at once. The real client, a real TCP server.
 */
describe('/healthz with a Meilisearch that never answers', () => {
  let hung: net.Server;
  const sockets = new Set<net.Socket>();
  let app: FastifyInstance;

  beforeAll(async () => {
    hung = net.createServer((socket) => {
      // Read the request and say nothing.
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as AddressInfo).port;
    app = await createQaApp({ config: { search: 'meili', meiliUrl: `http://127.0.0.1:${port}`, meiliIndex: 'forum' } });
  });
  afterAll(async () => {
    await app.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => hung.close(resolve));
  });

  it('answers within 2 seconds, 200 with search reported as down', async () => {
    const started = Date.now();
    const res = await app.inject({ url: '/healthz' });
    const elapsed = Date.now() - started;
    expect(sockets.size).toBeGreaterThanOrEqual(1); // the check did reach the hung server
    expect(elapsed).toBeLessThan(2000);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', storage: { status: 'ok' }, search: { backend: 'meili', status: 'error' } });
  });
});
