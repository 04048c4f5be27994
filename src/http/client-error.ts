import http from 'node:http';
import type { Socket } from 'node:net';
import { minimalErrorPage, minimalErrorPageHeaders } from '../plugins/errors.js';

/*
 * Requests Node's HTTP parser refuses before Fastify sees them (a head larger than Node's
 * header limit, a malformed request line, a client that stalls). Fastify's default handler
 * writes its answer and destroys the socket at once; when the client is still sending (the
 * rest of a 70 KB URL), the unread bytes make the kernel answer with a reset, and the client
 * sees "connection reset" instead of the status. Here the answer is written, the socket is
 * half-closed, and whatever the client still sends is read and dropped for a short while, so
 * the client gets to read the answer.
 */

const DRAIN_MS = 2000;
const DRAIN_MAX_BYTES = 1024 * 1024;
/** A request line longer than this, in a head over Node's limit, is what made it too large. */
const MAX_REQUEST_LINE = 8 * 1024;

/** Node's parser calls the handler again for every chunk that arrives after its error. */
const answered = new WeakSet<Socket>();

/** Node hands over rawPacket as a Buffer (Fastify's type describes its JSON form). */
interface ParserError extends Error {
  code: string;
  rawPacket?: unknown;
}

/**
 * Whether an over-large head was too large because of its request line (414), not because
 * of its header fields (431). Node hands over only the chunk it was reading when the limit
 * was passed. When that chunk holds the request line, its length decides; otherwise the
 * chunk's first line decides: a header field ("Name: value") means 431, anything else is
 * a piece of the request line. (A chunk from the middle of one huge header value reads like
 * a piece of URL and gets 414: still a clear 4xx.)
 */
export function requestLineOverflowed(rawPacket: unknown): boolean {
  if (!Buffer.isBuffer(rawPacket) || rawPacket.length === 0) return true;
  const text = rawPacket.subarray(0, MAX_REQUEST_LINE + 2).toString('latin1');
  const end = text.indexOf('\r\n');
  const firstLine = end === -1 ? text : text.slice(0, end);
  if (/^[A-Z]+ \//.test(firstLine)) return end === -1 || firstLine.length > MAX_REQUEST_LINE;
  if (/ HTTP\/\d(\.\d)?$/.test(firstLine)) return true;
  return !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(firstLine);
}

function statusFor(err: ParserError): number {
  if (err.code === 'HPE_HEADER_OVERFLOW') return requestLineOverflowed(err.rawPacket) ? 414 : 431;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

export function handleClientError(err: ParserError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  const status = statusFor(err);
  // The headers were never read, so the page is in the default language.
  const body = status === 414 || status === 400 ? minimalErrorPage(undefined, status) : `${status} ${http.STATUS_CODES[status]}\n`;
  const type = status === 414 || status === 400 ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
  const headers = Object.entries(minimalErrorPageHeaders).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`,
    );
  }
  socket.end();
  let drained = 0;
  const timer = setTimeout(() => socket.destroy(), DRAIN_MS);
  timer.unref();
  socket.on('close', () => clearTimeout(timer));
  socket.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) socket.destroy();
  });
  socket.on('error', () => socket.destroy());
  socket.resume();
}
