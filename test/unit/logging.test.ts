/*
 * Logs: pretty and one line per request in development (pino-pretty through Fastify's
 * logger transport), one JSON object per request elsewhere.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { prettyFactory } from 'pino-pretty';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions, prettyOptions } from '../../src/logging.js';

const SECRET = 'a-production-cookie-secret-of-at-least-32-chars';

describe('logger configuration', () => {
  it('pretty-prints in development through the pino-pretty transport', () => {
    const config = loadConfig({ NODE_ENV: 'development' }, { seedDemo: false });
    expect(loggerOptions(config)).toMatchObject({ level: 'info', transport: { target: 'pino-pretty' } });
  });

  it('writes plain JSON in production (no transport)', () => {
    const config = loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: SECRET, LOG_LEVEL: 'warn' }, { seedDemo: false });
    const options = loggerOptions(config);
    expect(options).toEqual({ level: 'warn' });
  });

  it('is off when LOG_LEVEL is silent (the test default)', () => {
    expect(loggerOptions(loadConfig({ NODE_ENV: 'test' }, { seedDemo: false }))).toBe(false);
  });
});

describe('request logging', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function logLinesOf(path: string): Promise<string[]> {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: SECRET, LOG_LEVEL: 'info' }, { sqlitePath: ':memory:', seedDemo: false });
    app = await buildApp(config, { logger: { level: 'info', stream } });
    await app.ready();
    lines.length = 0;
    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBeLessThan(500);
    return lines;
  }

  it('writes one JSON line per request with method, URL, status and time', async () => {
    const lines = await logLinesOf('/livez');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { msg: string; req: { method: string; url: string }; res: { statusCode: number }; responseTime: number };
    expect(entry.msg).toMatch(/^GET \/livez 200 \d+ms$/);
    expect(entry.req).toEqual({ method: 'GET', url: '/livez' });
    expect(entry.res.statusCode).toBe(200);
    expect(typeof entry.responseTime).toBe('number');
  });

  it('turns that line into one readable line with the development options', async () => {
    const [json] = await logLinesOf('/no-such-page');
    const pretty = prettyFactory({ ...prettyOptions, colorize: false })(json!);
    expect(pretty.trimEnd().split('\n')).toHaveLength(1);
    expect(pretty).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/no-such-page 404 \d+ms/);
    expect(pretty).not.toContain('{');
  });
});
