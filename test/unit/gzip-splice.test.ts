import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, crc32Combine, deflateParts, gzipBody } from '../../src/http/gzip-splice.js';

/* Gzip bodies spliced from parts deflated once and a per-response token (http/gzip-splice.ts). */

describe('crc32Combine', () => {
  it('gives the CRC-32 of two texts one after the other', () => {
    const texts = ['', 'a', 'hello world', 'x'.repeat(70_000), '中文页面'.repeat(999)];
    for (const a of texts) {
      for (const b of texts) {
        const [ba, bb] = [Buffer.from(a), Buffer.from(b)];
        expect(crc32Combine(zlib.crc32(ba), zlib.crc32(bb), bb.length)).toBe(zlib.crc32(Buffer.concat([ba, bb])));
      }
    }
  });
});

describe('gzipBody', () => {
  const html = (token: string) =>
    `<!doctype html><form><input name="_csrf" value="${token}"></form>` + '<p>Lorem ipsum 你好 </p>\n'.repeat(3000) + `<form><input value="${token}"></form><footer>end</footer>`;
  const parts = html('\u0000').split('\u0000').map((p) => Buffer.from(p));

  it('decompresses (CRC and size checked by zlib) to the parts joined with the token', () => {
    const g = deflateParts(parts);
    for (const token of ['tok-1', 'a-much-longer-token-value-' + 'z'.repeat(80), '']) {
      const body = gzipBody(g, Buffer.from(token));
      expect(zlib.gunzipSync(body).toString()).toBe(html(token));
    }
    // Much smaller than the page.
    expect(g.bytes).toBeLessThan(Buffer.byteLength(html('t')) / 5);
  });

  it('works for a page without a token and for a token at either end', () => {
    for (const text of [['only text'], ['', 'after'], ['before', ''], ['', '']]) {
      const g = deflateParts(text.map((t) => Buffer.from(t)));
      expect(zlib.gunzipSync(gzipBody(g, Buffer.from('TOKEN'))).toString()).toBe(text.join('TOKEN'));
    }
  });
});

describe('acceptsGzip', () => {
  it('reads Accept-Encoding as browsers send it, honouring q=0', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br, *;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('')).toBe(false);
  });
});
