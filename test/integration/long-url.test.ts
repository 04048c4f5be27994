import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp } from '../helpers/app.js';

/*
 * Over-long URLs over a real socket (issue 10): whatever the length, the client that sends
 * the whole request gets a 414 page to read, not a reset connection. The request is sent in
 * network-sized pieces with pauses, as over a real link, so the server answers while the
 * client is still sending.
 */

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await createTestApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await app.close();
});

interface RawOutcome {
  response: string;
  error: string | null;
}

/** Sends the request in pieces (every write must succeed), then reads until the server closes. */
function rawRequest(head: string, piece = 4096): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const data = Buffer.from(head, 'latin1');
    let response = '';
    let error: string | null = null;
    socket.on('data', (chunk) => (response += chunk.toString('utf8')));
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on('close', () => resolve({ response, error }));
    socket.on('connect', async () => {
      for (let i = 0; i < data.length && !socket.destroyed; i += piece) {
        await new Promise<void>((done) => socket.write(data.subarray(i, i + piece), () => done()));
        await new Promise((r) => setTimeout(r, 2));
      }
    });
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

describe('over-long URLs', () => {
  it.each([
    ['a 20 KB search', `/search?q=${'a'.repeat(20 * 1024)}`],
    ['a 70 KB search', `/search?q=${'a'.repeat(70 * 1024)}`],
    ['a 70 KB community path', `/c/${'b'.repeat(70 * 1024)}`],
    ['a 200 KB path', `/${'c'.repeat(200 * 1024)}`],
  ])('%s answers 414 with the error page, without a reset', async (_label, path) => {
    const { response, error } = await rawRequest(`GET ${path} HTTP/1.1\r\nHost: forum.test\r\nAccept-Language: en\r\n\r\n`);
    expect(error).toBeNull();
    expect(statusOf(response)).toBe(414);
    expect(response).toMatch(/content-type: text\/html/i);
    expect(response).toContain('This address is too long.');
    expect(response).toMatch(/connection: close/i);
  });

  it('a short path with a long parameter still gets 414 from the router', async () => {
    const { response } = await rawRequest(`GET /c/${'a'.repeat(300)} HTTP/1.1\r\nHost: forum.test\r\nConnection: close\r\n\r\n`);
    expect(statusOf(response)).toBe(414);
  });

  it('over-large header fields (not the URL) answer 431', async () => {
    const { response, error } = await rawRequest(`GET / HTTP/1.1\r\nHost: forum.test\r\nX-Big: ${'h'.repeat(70 * 1024)}\r\n\r\n`, 128 * 1024);
    expect(error).toBeNull();
    expect(statusOf(response)).toBe(431);
  });

  it('the server keeps serving afterwards', async () => {
    const { response } = await rawRequest('GET /livez HTTP/1.1\r\nHost: forum.test\r\nConnection: close\r\n\r\n');
    expect(statusOf(response)).toBe(200);
  });
});
