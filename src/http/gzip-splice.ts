import zlib from 'node:zlib';

/*
 * Gzip for pages from the anonymous page cache without compressing on every response. A
 * cached page is stored as the parts around its CSRF token (http/page-cache.ts); each
 * response joins them with its own token. Each part is deflated once, on its own, and ends
 * on a byte boundary (a sync flush), so a response is a gzip member spliced from pieces:
 *
 *   gzip header | part 0 | token as a stored block | part 1 | ... | final empty block | CRC-32, size
 *
 * (RFC 1951: stored blocks may sit between compressed ones; no part refers back into
 * another, so any token fits.) The CRC-32 of the whole text is combined from the parts'
 * CRCs and the token's, as zlib's crc32_combine does, so the page is not read again.
 * Brotli has no such seams (its back-references may cross the token), so it is not offered.
 */

export interface GzipParts {
  /** Each part as raw deflate data ending on a byte boundary, not final. */
  readonly segments: readonly Buffer[];
  /** CRC-32 and length of each part as text. */
  readonly crcs: readonly number[];
  readonly lengths: readonly number[];
  /** Bytes held (the segments). */
  readonly bytes: number;
}

const POLY = 0xedb88320;

/** a(x) * b(x) modulo the CRC-32 polynomial (reflected bit order, as zlib's multmodp). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0..31. */
const X2N = (() => {
  const table = new Array<number>(32);
  let p = 0x40000000; // x^1
  table[0] = p;
  for (let n = 1; n < 32; n++) table[n] = p = multModP(p, p);
  return table;
})();

/** x^(n * 2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000; // x^0
  while (n > 0) {
    if (n % 2 === 1) p = multModP(X2N[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** The CRC-32 of A followed by B, from crc(A), crc(B) and B's length. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}

/** Deflates each part once (done when a browser that accepts gzip first asks for the page). */
export function deflateParts(parts: readonly Buffer[]): GzipParts {
  const segments = parts.map((part) => zlib.deflateRawSync(part, { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  return {
    segments,
    crcs: parts.map((part) => zlib.crc32(part)),
    lengths: parts.map((part) => part.length),
    bytes: segments.reduce((n, s) => n + s.length, 0),
  };
}

const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty block with fixed codes: BFINAL=1, BTYPE=01, end-of-block. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** One response's gzip body: the deflated parts joined with this token. */
export function gzipBody(g: GzipParts, token: Buffer): Buffer {
  if (token.length > 0xffff) throw new RangeError('token longer than a stored block');
  const stored = Buffer.allocUnsafe(5 + token.length);
  // BFINAL=0, BTYPE=00 (the block starts on a byte boundary: each segment ends with a sync flush).
  stored[0] = 0;
  stored.writeUInt16LE(token.length, 1);
  stored.writeUInt16LE(~token.length & 0xffff, 3);
  token.copy(stored, 5);
  const tokenCrc = zlib.crc32(token);
  const chunks: Buffer[] = [HEADER, g.segments[0]!];
  let crc = g.crcs[0]!;
  let size = g.lengths[0]!;
  for (let i = 1; i < g.segments.length; i++) {
    chunks.push(stored, g.segments[i]!);
    crc = crc32Combine(crc32Combine(crc, tokenCrc, token.length), g.crcs[i]!, g.lengths[i]!);
    size += token.length + g.lengths[i]!;
  }
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(size % 0x100000000, 4);
  chunks.push(FINAL_BLOCK, trailer);
  return Buffer.concat(chunks);
}

/**
 * Whether an Accept-Encoding header admits gzip: named with a q above 0, or `*` above 0 when
 * gzip is not named. `gzip;q=0` refuses it.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  let star: boolean | null = null;
  for (const item of value.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'q') q = Number(v);
    }
    const ok = Number.isFinite(q) && q > 0;
    if (name === 'gzip' || name === 'x-gzip') return ok;
    if (name === '*') star = ok;
  }
  return star === true;
}
