/*
 * The reused response buffers of cached pages (http/body-pool.ts, e.g. 20cd3b2):
 * a buffer must not be handed to another response while a socket write may still read it.
 * Real HTTP on a real port: one connection (a client with a 4 KB receive buffer) pipelines
 * many requests for a large cached page and does not read, so its responses wait in Node and
 * in libuv, which still hold the pooled buffers; meanwhile other browsers fetch the same page
 * over and over (taking buffers from the pool). Then the slow connection reads everything.
 * Every response of either must be the whole page with one token of its own, never a token or
 * a byte of another response.
 *
 * This passes on the audited code (the buffer goes back on 'finish' with writableFinished).
 * Checked that it can fail: giving the buffer back right after reply.send (setImmediate) makes
 * it fail with "response 179 has the token of response 15" (another browser's CSRF token).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { csrfFrom, TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member, postAnswer } from '../helpers/qa.js';

/** Pipelined requests of the slow connection. */
const PIPELINED = 20;

/** The slow client: argv port, path, count; reads nothing until a line arrives on stdin, then copies the responses to stdout. */
const SLOW_CLIENT = `
import socket, sys
port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
req = "GET %s HTTP/1.1\\r\\nHost: localhost\\r\\nAccept-Encoding: identity\\r\\n\\r\\n" % path
last = "GET %s HTTP/1.1\\r\\nHost: localhost\\r\\nAccept-Encoding: identity\\r\\nConnection: close\\r\\n\\r\\n" % path
s.sendall((req * (count - 1) + last).encode())
sys.stdout.buffer.write(b"S")
sys.stdout.flush()
sys.stdin.readline()
while True:
    b = s.recv(65536)
    if not b:
        break
    sys.stdout.buffer.write(b)
sys.stdout.flush()
`;

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a stream of HTTP/1.1 responses with content-length bodies. */
function parseResponses(data: Buffer): Raw[] {
  const out: Raw[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) throw new Error(`incomplete head at ${at}`);
    const lines = data.subarray(at, end).toString('latin1').split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length']);
    if (!Number.isFinite(length)) throw new Error(`no content-length: ${lines.join(' | ')}`);
    const body = data.subarray(end + 4, end + 4 + length);
    if (body.length !== length) throw new Error('incomplete body');
    out.push({ status, headers, body });
    at = end + 4 + length;
  }
  return out;
}

/** A plain GET over its own connection (no cookies: every response makes a new browser id and token). */
function getOnce(port: number, path: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseResponses(Buffer.concat(chunks))[0]!);
      } catch (err) {
        reject(err as Error);
      }
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`);
  });
}

describe('pooled page buffers and a slow pipelining client', () => {
  let app: FastifyInstance;
  let url: string;
  let port: number;

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, 'cameras', { name: 'Cameras' });
    const asker = await member(app, community, 'asker');
    const question = await askQuestion(asker.client, 'cameras', { title: 'Why does my lens fog up in winter?', body: 'It happens every morning.' });
    // About 150 KB: pooled (at most 256 KB) and larger than what the kernel takes at once.
    for (let i = 0; i < 18; i++) await postAnswer(asker.client, question.id, `Answer ${i}: ${`Keep the camera in its bag while it warms up, step ${i}. `.repeat(140)}`);
    url = question.url;
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  it('no response carries another response\'s token or bytes', async () => {
    const first = await new TestClient(app).get(url, { 'accept-encoding': 'identity' });
    expect(first.status).toBe(200);
    const template = first.text.split(csrfFrom(first.text)).join('TOKEN');
    expect(Buffer.byteLength(template)).toBeGreaterThan(120 * 1024);
    expect(Buffer.byteLength(template)).toBeLessThan(250 * 1024);

    // The slow connection: PIPELINED requests at once from a client with a 4 KB receive
    // buffer that reads nothing for now (Node's socket API cannot shrink it: a Python client).
    const slow = spawn('python3', ['-c', SLOW_CLIENT, String(port), url, String(PIPELINED)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    slow.stdout.on('data', (c: Buffer) => out.push(c));
    const exited = new Promise<number | null>((resolve) => slow.on('exit', (code) => resolve(code)));
    // The client writes "S" once its requests are sent; then the server has a moment to answer them.
    await new Promise<void>((resolve) => slow.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 300));

    // Meanwhile other browsers take buffers from the pool, 4 at a time.
    const others: Raw[] = [];
    for (let round = 0; round < 40; round++) others.push(...(await Promise.all(Array.from({ length: 4 }, () => getOnce(port, url)))));
    const reusedWhileBlocked = app.pageCache.bodies.stats.reused;

    // The slow connection reads everything now.
    slow.stdin.end('go\n');
    expect(await exited).toBe(0);
    const slowResponses = parseResponses(Buffer.concat(out).subarray(1));
    expect(slowResponses).toHaveLength(PIPELINED);

    const seen = new Map<string, number>();
    const all = [...slowResponses, ...others];
    all.forEach((res, i) => {
      expect(res.status).toBe(200);
      const html = res.body.toString('utf8');
      const token = csrfFrom(html);
      // One token per response, all of its occurrences the same, the rest the page's bytes.
      expect(html.split(token).join('TOKEN'), `response ${i}`).toBe(template);
      expect(seen.has(token), `response ${i} has the token of response ${seen.get(token)}`).toBe(false);
      seen.set(token, i);
    });
    // The pool was in use while the slow connection's responses waited.
    expect(reusedWhileBlocked).toBeGreaterThan(0);
  }, 120_000);
});
